using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Tests.Support;
using Portal.Web.Components.Layout;

namespace Portal.Tests.Http;

public class ThemeStylesheetTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task A_render_that_failed_is_tried_again_on_the_next_request()
    {
        // Every page links the stylesheet: a first render that failed must not be served as a failure forever.
        var scopes = new FailingOnce(app.Get<IServiceScopeFactory>());
        var stylesheet = new ThemeStylesheet(scopes, app.Get<ILoggerFactory>());

        await Assert.ThrowsAsync<InvalidOperationException>(stylesheet.CssAsync);
        var css = await stylesheet.CssAsync();

        Assert.Contains("--mud-palette-primary:", css);
        Assert.Equal(2, scopes.Calls);
        Assert.Equal(await stylesheet.CssAsync(), css); // and once rendered, kept
        Assert.Equal(2, scopes.Calls);
    }

    /// <summary>The portal's own scopes, except the first one asked for.</summary>
    private sealed class FailingOnce(IServiceScopeFactory scopes) : IServiceScopeFactory
    {
        public int Calls { get; private set; }

        public IServiceScope CreateScope() =>
            Calls++ == 0 ? throw new InvalidOperationException("The first render fails.") : scopes.CreateScope();
    }
}
