using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.Http;

[Collection(DemoPortalCollection.Name)]
public class PublicPagesTests(DemoPortalFactory app)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/campagnes")]
    [InlineData("/campagnes/automne-gourmand-solidaire")]
    [InlineData("/Account/Login")]
    [InlineData("/Account/Register")]
    public async Task Public_pages_are_server_rendered_with_title_description_and_open_graph_tags(string path)
    {
        using var client = app.CreateHttpClient();
        var html = await client.GetStringAsync(path);
        Assert.Matches("<title>[^<]+Solidons</title>|<title>Solidons</title>", html);
        Assert.Contains("<meta name=\"description\" content=\"", html);
        Assert.Contains("<meta property=\"og:title\"", html);
        Assert.Contains("<meta property=\"og:image\"", html);
        Assert.Contains("<html lang=\"fr\">", html);
    }

    [Fact]
    public async Task The_campaign_page_shows_the_demo_campaign_totals_in_french_format()
    {
        using var client = app.CreateHttpClient();
        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/campagnes/automne-gourmand-solidaire"));
        Assert.Contains("Automne gourmand solidaire", html);
        Assert.Contains("In, le Fruit de Terre", html);
        Assert.Contains("Les Petites Cantines", html);
        Assert.Matches(@"\d+,\d{2}\s€", html);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/campagnes/automne-gourmand-solidaire")]
    [InlineData("/Account/Login")]
    public async Task Pages_may_be_framed_only_by_the_portal_itself(string path)
    {
        using var client = app.CreateHttpClient();
        using var response = await client.GetAsync(path);
        Assert.Contains("frame-ancestors 'self'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Circuits_refuse_websocket_compression_even_when_the_browser_offers_it()
    {
        // A browser offers permessage-deflate on every WebSocket; each accepted offer would keep two zlib streams
        // (about 370 KB) per circuit on the server.
        using var client = app.CreateHttpClient();
        using var negotiate = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        negotiate.EnsureSuccessStatusCode();
        var token = System.Text.Json.JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.DangerousDeflateOptions = new System.Net.WebSockets.WebSocketDeflateOptions();
        socket.Options.CollectHttpResponseDetails = true;
        var url = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/_blazor", Query = $"id={token}" }.Uri;
        await socket.ConnectAsync(url, CancellationToken.None);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.False(socket.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Extensions"),
            $"negotiated: {string.Join(", ", socket.HttpResponseHeaders.TryGetValue("Sec-WebSocket-Extensions", out var e) ? e : [])}");
    }

    [Fact]
    public async Task The_open_graph_image_and_the_favicon_are_served()
    {
        using var client = app.CreateHttpClient();
        var image = await client.GetAsync("/og-solidons.png");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/favicon.svg")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_campaign_is_a_404_page()
    {
        using var client = app.CreateHttpClient();
        var response = await client.GetAsync("/campagnes/nexiste-pas");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page introuvable", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task English_is_served_when_the_visitor_chose_it()
    {
        using var client = app.CreateHttpClient();
        var response = await client.GetAsync("/culture?c=en&r=/campagnes");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("Campaigns", html);
        // Amounts stay in the French format whatever the language.
        Assert.Matches(@"\d+,\d{2}\s€", html);
    }

    [Fact]
    public async Task The_merchant_workspace_sends_anonymous_visitors_to_sign_in()
    {
        using var client = app.CreateHttpClient(followRedirects: false);
        var response = await client.GetAsync("/commercant");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.OriginalString.Replace(app.BaseAddress.ToString(), "/"));
    }

    [Fact]
    public async Task The_culture_endpoint_refuses_to_redirect_off_site()
    {
        using var client = app.CreateHttpClient(followRedirects: false);
        var response = await client.GetAsync("/culture?c=en&r=//evil.example/");
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }
}
