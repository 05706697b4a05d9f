using System.Globalization;
using System.Security.Claims;
using Bunit;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Portal.Tests.Support;

/// <summary>
/// bUnit context with what every portal component needs: MudBlazor services (JS interop loose, as MudBlazor's own
/// tests do), the portal's French and English strings, and, when given, the real services of a running portal.
/// </summary>
public abstract class PortalTestContext : BunitContext, IAsyncLifetime
{
    protected PortalTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddTransient<MudBlazor.MudLocalizer, Portal.Web.Hosting.PortalMudLocalizer>();
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // Some MudBlazor services are only asynchronously disposable: dispose the context the async way first.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    /// <summary>Text as a reader sees it: every kind of space (fr-FR uses narrow no-break ones) as a plain space.</summary>
    protected static string Text(AngleSharp.Dom.IElement element) => System.Text.RegularExpressions.Regex.Replace(element.TextContent, @"\s", " ").Trim();

    /// <summary>Resolves the portal's own services (feed, ledger, validators...) from <paramref name="app"/>.</summary>
    protected void UsePortalServices(PortalAppFactory app)
    {
        Services.AddFallbackServiceProvider(app.Services);
    }

    protected void SignInAs(Portal.Web.Features.Actor actor, params string[] roles)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(actor.UserId);
        // Roles first: bUnit rebuilds the claims list on each call, and the actor is read from NameIdentifier.
        auth.SetRoles(roles);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, actor.UserId));
    }
}
