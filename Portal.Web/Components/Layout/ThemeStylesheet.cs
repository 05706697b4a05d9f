using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace Portal.Web.Components.Layout;

/// <summary>
/// The MudBlazor theme as a stylesheet of its own, rendered once and served at <see cref="Path"/>. MudThemeProvider
/// would build the theme (parsing dozens of colours) and inline 12 KB of CSS variables into every page it renders;
/// the portal's theme never changes, so pages link one file the browser caches instead. Interactive islands read
/// the same CSS variables from the page.
/// </summary>
public sealed partial class ThemeStylesheet(IServiceScopeFactory scopes, ILoggerFactory loggers)
{
    public const string Path = "/theme.css";

    private Task<(string Css, string Version)>? _rendered;

    public async Task<string> CssAsync() => (await RenderedAsync()).Css;

    /// <summary>The stylesheet's address with a hash of its content, so that a new theme is never served from cache.</summary>
    public async Task<string> HrefAsync() => $"{Path.TrimStart('/')}?v={(await RenderedAsync()).Version}";

    /// <summary>The stylesheet, rendered on first use; a render that failed is not kept, the next request tries again.</summary>
    private Task<(string Css, string Version)> RenderedAsync()
    {
        var rendered = _rendered;
        if (rendered is null || rendered.IsFaulted || rendered.IsCanceled) _rendered = rendered = RenderAsync();
        return rendered;
    }

    private async Task<(string, string)> RenderAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(ParameterView.FromDictionary(
                new Dictionary<string, object?> { [nameof(MudThemeProvider.Theme)] = PortalTheme.Theme }));
            return output.ToHtmlString();
        });
        var css = string.Join("\n", StyleElement().Matches(html).Select(m => m.Groups[1].Value.Trim()));
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(css)))[..12];
        return (css, version);
    }

    [GeneratedRegex(@"<style[^>]*>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();
}
