using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Web.Components;
using Portal.Web.Components.Account;
using Portal.Web.Features;
using Portal.Web.Features.Api;
using Portal.Web.Features.Merchant;
using Portal.Web.Features.Demo;
using Portal.Web.Features.Live;
using Portal.Web.Features.Mail;

namespace Portal.Web.Hosting;

public static class PortalWebExtensions
{
    public static readonly CultureInfo[] Cultures = [new("fr-FR"), new("en-GB")];

    public static WebApplicationBuilder AddPortalWeb(this WebApplicationBuilder builder)
    {
        builder.AddPortalData();
        var services = builder.Services;

        services.AddRazorComponents().AddInteractiveServerComponents();
        // No "Server: Kestrel" on responses; the antiforgery cookie is Secure whenever the request came over HTTPS.
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddSecurityHeaders();
        // Behind nginx the client's address and scheme come from the proxy's headers, believed only from known proxies
        // (loopback by default): the sign-in budgets count clients, not the proxy, and HTTPS is not redirected again.
        var proxies = (builder.Configuration["Proxy:KnownProxies"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => System.Net.IPAddress.TryParse(p, out var address) ? address
                : throw new PortalConfigurationException($"Proxy:KnownProxies holds '{p}': give the proxies' IP addresses, separated by commas.")).ToList();
        services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies) o.KnownProxies.Add(proxy);
        });
        // Behind a proxy that terminates TLS the HTTPS port is not one Kestrel listens on: the setting names it.
        services.AddHttpsRedirection(o => o.HttpsPort = builder.Configuration.GetValue<int?>("HttpsRedirection:HttpsPort"));
        services.DeclineScalarInterfacesInCircuits();
        // French text goes out as is ("é", not "&#xE9;"): lighter pages, readable source.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddMudServices();
        services.AddTransient<MudBlazor.MudLocalizer, PortalMudLocalizer>();
        services.AddSingleton<Components.Layout.ThemeStylesheet>();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddSingleton<Microsoft.Extensions.Localization.ResourceManagerStringLocalizerFactory>();
        services.AddSingleton<Microsoft.Extensions.Localization.IStringLocalizerFactory, CachingStringLocalizerFactory>();
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
        services.AddSingleton(TimeProvider.System);

        builder.AddPortalIdentity();
        builder.AddPortalOperations();
        builder.AddPortalLive();
        builder.AddTillApi();
        services.AddPortalFeatures();
        services.Configure<Features.Legal.LegalSettings>(builder.Configuration.GetSection("Legal"));
        return builder;
    }

    private static void AddPortalIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.AccessDeniedPath = "/Account/AccessDenied";
        });
        services.AddIdentityCore<PortalUser>(o =>
            {
                // Sign-up from a QR code at the table must take under a minute: no confirmation round-trip before voting.
                o.SignIn.RequireConfirmedAccount = false;
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false; // length, not composition rules (NIST SP 800-63B)
                o.Lockout.MaxFailedAccessAttempts = 8;
                // With its passkeys table: contributors sign in with a passkey or a password.
                o.Stores.SchemaVersion = PortalIdentity.SchemaVersion;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<CnilPasswordValidator>();
        services.AddSingleton<SignInGuard>();
        services.AddSingleton<DecoyPassword>();
        services.AddSingleton<PortalMailer>();
        services.AddHostedService<MailOutbox>();
        services.AddSingleton<IEmailSender<PortalUser>, IdentityEmailSender>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Merchant, p => p.RequireRole(Roles.Merchant, Roles.Admin))
            .AddPolicy(Policies.Entrepreneur, p => p.RequireRole(Roles.Entrepreneur))
            .AddPolicy(Policies.Beneficiary, p => p.RequireRole(Roles.Beneficiary))
            .AddPolicy(Policies.Contributor, p => p.RequireAuthenticatedUser());
    }

    /// <summary>Migrates the database, makes sure the roles exist, and in Development fills an empty database with demonstration data.</summary>
    public static async Task PreparePortalAsync(this WebApplication app)
    {
        await DatabaseMigrator.MigrateAsync(app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>());
        app.Services.EnsureDataProtectionKey();
        await using var scope = app.Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
        if (app.Environment.IsDevelopment())
            await scope.ServiceProvider.GetRequiredService<DemoData>().SeedIfEmptyAsync();
    }

    public static WebApplication UsePortal(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }
        app.UsePortalMetricsEndpoint();
        // In Production plain HTTP is sent to HTTPS (the port from HttpsRedirection:HttpsPort or the HTTPS endpoint),
        // but for the load balancer's health probes, which reach the node itself.
        if (app.Environment.IsProduction())
            app.UseWhen(http => !http.Request.Path.StartsWithSegments("/health"), https => https.UseHttpsRedirection());
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Under /api an error without a body (an unknown route, a wrong method) is answered as the API answers: problem details.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        app.UseMiddleware<RefusalResponses>();
        app.UseRequestLocalization(o =>
        {
            o.SetDefaultCulture(Cultures[0].Name);
            o.SupportedCultures = o.SupportedUICultures = Cultures;
            // The visitor's own choice (cookie) wins; then the browser's languages; French otherwise.
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        app.UseAntiforgery();
        app.MapStaticAssets();
        // No per-message deflate on circuits: each connection would keep two zlib streams, about 370 KB of native memory,
        // more than twice what an idle dashboard's circuit holds itself (measured by the benchmark: 569 KB of working
        // set per circuit with it, 197 KB without), for render batches that are small diffs.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.DisableWebSocketCompression = true);
        app.MapAdditionalIdentityEndpoints();
        app.MapCultureEndpoint();
        app.MapThemeStylesheet();
        app.MapPortalLive();
        app.MapPortalHealth();
        app.MapTillApiWithReference();
        app.MapMerchantEndpoints();
        Features.Gatherings.Calendars.Map(app);
        Features.Admin.AdminExports.MapAdminExports(app);
        return app;
    }

    private static void MapThemeStylesheet(this WebApplication app) =>
        app.MapGet(Components.Layout.ThemeStylesheet.Path, async (Components.Layout.ThemeStylesheet theme, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable"; // the link carries the content's hash
            return Results.Text(await theme.CssAsync(), "text/css");
        }).ExcludeFromDescription();

    private static void MapCultureEndpoint(this WebApplication app) =>
        app.MapGet("/culture", (string c, string? r, HttpContext http) =>
        {
            var culture = Cultures.FirstOrDefault(x => x.TwoLetterISOLanguageName == c) ?? Cultures[0];
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            // Only local paths, so the link cannot be used as an open redirect.
            var back = r is { Length: > 0 } && r.StartsWith('/') && !r.StartsWith("//") && !r.StartsWith("/\\") ? r : "/";
            return Results.LocalRedirect(back);
        });
}

public static class Policies
{
    public const string Admin = "Admin";
    public const string Merchant = "Merchant";
    public const string Entrepreneur = "Entrepreneur";
    public const string Beneficiary = "Beneficiary";
    public const string Contributor = "Contributor";
}
