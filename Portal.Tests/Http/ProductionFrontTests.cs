using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.Http;

/// <summary>The portal as Production runs it: plain HTTP goes to HTTPS.</summary>
public class ProductionFrontTests(ProductionFrontTests.ProductionPortal app) : IClassFixture<ProductionFrontTests.ProductionPortal>
{
    public sealed class ProductionPortal() : PortalAppFactory("Production", settings: new Dictionary<string, string> { ["HttpsRedirection:HttpsPort"] = "8443" });

    [Fact]
    public async Task Plain_http_is_redirected_to_https_with_the_security_headers()
    {
        using var client = app.CreateHttpClient(followRedirects: false);
        using var response = await client.GetAsync("/campagnes?x=1");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal($"https://{app.BaseAddress.Host}:8443/campagnes?x=1", response.Headers.Location!.ToString());
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(response.Headers.Contains("Server"));
    }
}
