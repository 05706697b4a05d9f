using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Tests.Support;

namespace Portal.Tests.Http;

/// <summary>The portal's edges as an outsider probes them: headers, redirects after sign-in, every download as every role.</summary>
[Collection(DemoPortalCollection.Name)]
public partial class WebFrontTests(DemoPortalFactory app)
{
    private const string Password = "Solidons2026!";

    private async Task<HttpClient> SignedInAsync(string? email)
    {
        var client = app.CreateHttpClient(followRedirects: false);
        if (email is null) return client;
        var page = await client.GetStringAsync("/Account/Login");
        var token = Token().Match(page).Groups[1].Value;
        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["_handler"] = "login", ["Input.Email"] = email, ["Input.Password"] = Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/campagnes")]
    [InlineData("/Account/Login")]
    [InlineData("/api/v1/campaigns")]
    [InlineData("/nulle-part")]
    public async Task Every_response_carries_the_security_headers_and_no_server_name(string path)
    {
        using var client = app.CreateHttpClient(followRedirects: false);
        using var response = await client.GetAsync(path);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("frame-ancestors 'self'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Pages_have_no_inline_script_the_policy_would_block()
    {
        using var client = app.CreateHttpClient();
        foreach (var path in new[] { "/", "/campagnes", "/transparence", "/Account/Login" })
        {
            var html = await client.GetStringAsync(path);
            Assert.DoesNotMatch(InlineScript(), html);
        }
    }

    [Fact]
    public async Task A_refusal_keeps_the_security_headers()
    {
        int autumn, bouchon;
        await using (var db = app.CreateDbContext())
        {
            autumn = await db.Campaigns.Where(c => c.Name == "Automne gourmand solidaire").Select(c => c.Id).SingleAsync();
            bouchon = await db.Establishments.Where(e => e.Name.StartsWith("Le Bouchon des Canuts")).Select(e => e.Id).SingleAsync();
        }
        using var client = await SignedInAsync("boutique@demo.solidons.fr");

        using var response = await client.GetAsync($"/commercant/registre.csv?etablissement={bouchon}&campagne={autumn}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("script-src 'self';", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task A_return_url_naming_the_portal_in_capitals_lands_on_its_page()
    {
        using var client = app.CreateHttpClient(followRedirects: false);
        var path = "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(app.BaseAddress.ToString().ToUpperInvariant() + "moi");
        var page = await client.GetStringAsync(path);
        var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value, ["_handler"] = "login",
            ["Input.Email"] = "contributeur@demo.solidons.fr", ["Input.Password"] = Password,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/moi", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Over_https_behind_the_proxy_the_antiforgery_cookie_is_secure_and_over_http_it_is_not()
    {
        using var client = app.CreateHttpClient(followRedirects: false);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var page = await client.GetAsync("/Account/Login");
        var antiforgery = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);

        using var plain = app.CreateHttpClient(followRedirects: false);
        using var plainPage = await plain.GetAsync("/Account/Login");
        Assert.DoesNotContain("secure", Assert.Single(plainPage.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)),
            StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Every_stylesheet_and_script_a_page_links_is_served()
    {
        using var client = app.CreateHttpClient();
        var html = await client.GetStringAsync("/");
        var assets = Asset().Matches(html).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.NotEmpty(assets);
        foreach (var asset in assets)
        {
            using var response = await client.GetAsync(asset);
            Assert.True(response.IsSuccessStatusCode, $"{asset}: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/moi")]
    public async Task Signing_in_with_any_return_url_signs_in_and_lands_on_a_local_page(string returnUrl)
    {
        using var client = app.CreateHttpClient(followRedirects: false);
        var path = "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var page = await client.GetStringAsync(path);
        var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value, ["_handler"] = "login",
            ["Input.Email"] = "contributeur@demo.solidons.fr", ["Input.Password"] = Password,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        var target = location.IsAbsoluteUri ? location : new Uri(app.BaseAddress, location);
        Assert.Equal(app.BaseAddress.Authority, target.Authority);
        if (returnUrl == "/moi") Assert.Equal("/moi", target.AbsolutePath);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
    }

    public static TheoryData<string?, string, int, string?> Downloads()
    {
        const string admin = "admin@demo.solidons.fr", merchant = "restaurant@demo.solidons.fr", boutique = "boutique@demo.solidons.fr",
            structure = "structure@demo.solidons.fr", contributor = "contributeur@demo.solidons.fr";
        var year = DateTime.UtcNow.Year;
        return new()
        {
            { admin, "/admin/export/campagnes.csv", 200, "id;nom;statut" },
            { admin, "/admin/export/prets.csv", 200, "id;projet;verse_le" },
            { admin, "/admin/export/heures.csv", 200, "date;projet;structure" },
            { admin, "/admin/rapprochement.csv?campagne={autumn}", 200, "etablissement;collecte" },
            { structure, $"/structure/bilan-{year}.csv", 200, "date;projet;structure" },
            { structure, "/structure/bilan-0.csv", 404, null },
            { structure, "/structure/bilan-10000.csv", 404, null },
            { structure, "/structure/bilan--1.csv", 404, null },
            { merchant, "/commercant/registre.csv?etablissement={bouchon}&campagne={autumn}", 200, "numero;collecte_le;montant;solidons" },
            { boutique, "/commercant/registre.csv?etablissement={bouchon}&campagne={autumn}", 403, null },
            { merchant, "/commercant/registre.csv?etablissement={bouchon}&campagne=999999", 404, null },
            { merchant, "/commercant/registre.csv?etablissement=abc&campagne={autumn}", 400, null },
            // Signed in without the role: the access-denied page; not signed in: the sign-in page.
            { contributor, "/admin/export/heures.csv", 302, "AccessDenied" },
            { contributor, $"/structure/bilan-{year}.csv", 302, "AccessDenied" },
            { merchant, "/admin/rapprochement.csv?campagne={autumn}", 302, "AccessDenied" },
            { null, "/admin/export/campagnes.csv", 302, "Account/Login" },
            { null, "/commercant/registre.csv?etablissement={bouchon}&campagne={autumn}", 302, "Account/Login" },
        };
    }

    [Theory]
    [MemberData(nameof(Downloads))]
    // header: the CSV's first columns for a 200, where a 302 leads otherwise.
    public async Task Every_download_answers_its_status_and_header_row_for_each_role(string? email, string path, int status, string? header)
    {
        await using (var db = app.CreateDbContext())
        {
            var autumn = await db.Campaigns.Where(c => c.Name == "Automne gourmand solidaire").Select(c => c.Id).SingleAsync();
            var bouchon = await db.Establishments.Where(e => e.Name.StartsWith("Le Bouchon des Canuts")).Select(e => e.Id).SingleAsync();
            path = path.Replace("{autumn}", autumn.ToString()).Replace("{bouchon}", bouchon.ToString());
        }
        using var client = await SignedInAsync(email);

        using var response = await client.GetAsync(path);

        Assert.True(status == (int)response.StatusCode, $"{path} as {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (header is null) return;
        if (status == 302)
        {
            Assert.Contains(header, response.Headers.Location!.ToString());
            return;
        }
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var firstLine = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n')[0];
        Assert.StartsWith(header, firstLine);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<(?:link rel=\"stylesheet\" href|script src)=\"([^\"]+)\"")]
    private static partial Regex Asset();

    // A <script> element with content (not a src-only tag): the policy's script-src 'self' would block it.
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>\s*\S", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
