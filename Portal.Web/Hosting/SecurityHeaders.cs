namespace Portal.Web.Hosting;

/// <summary>
/// The headers every response carries. The policy allows only the portal's own scripts (Blazor's and MudBlazor's
/// files; no page has an inline script, and there is no import map since no module is imported by name), inline
/// styles (MudBlazor sets style attributes), images and fonts from the portal or data: URLs, and connections back to
/// the portal (circuits, the hub). No other site may frame the portal's pages (clickjacking of votes and forms).
/// </summary>
public static class SecurityHeaders
{
    public const string Policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    // The API reference (Scalar) starts itself with an inline script.
    private const string ReferencePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

    /// <summary>First in the pipeline, before authentication and the rate limiter, so that their 401 and 429 carry the headers too.</summary>
    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services) =>
        services.AddTransient<IStartupFilter, FirstInPipeline>();

    private sealed class FirstInPipeline : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseSecurityHeaders();
            next(app);
        };
    }

    // Set as the response starts: an error handler that clears the response on its way would otherwise drop them.
    private static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            Apply(http);
            return Task.CompletedTask;
        });
        return next(http);
    });

    private static void Apply(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/api/docs") ? ReferencePolicy : Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
    }
}
