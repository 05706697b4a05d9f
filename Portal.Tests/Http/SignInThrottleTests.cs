using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Http;

/// <summary>Sign-in as a stranger probes it: throttled, and the same answer and about the same time whether or not the account exists.</summary>
public partial class SignInThrottleTests
{
    private const string Throttled = "Trop de tentatives de connexion";
    private const string Invalid = "Adresse e-mail ou mot de passe incorrect";

    private static async Task<(string Html, TimeSpan Took)> SignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/Account/Login");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value, ["_handler"] = "login", ["Input.Email"] = email, ["Input.Password"] = password,
        });
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync("/Account/Login", form);
        var took = clock.Elapsed;
        return (WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), took);
    }

    [Fact]
    public async Task Failures_are_throttled_alike_for_existing_and_unknown_accounts_and_a_throttled_attempt_checks_no_password()
    {
        // The default budgets: five failures per account and address in a quarter of an hour.
        await using var app = new CustomPortalFactory(settings: new Dictionary<string, string> { ["Account:SignInsPerMinutePerAddress"] = "20" });
        await ((IAsyncLifetime)app).InitializeAsync();
        var email = $"ana-{Guid.NewGuid():N}@test.fr";
        await TestWorld.UserAsync(app, email, Roles.Contributor);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            Assert.True((await users.AddPasswordAsync(user, "Solidons2026!")).Succeeded);
        }
        using var client = app.CreateHttpClient(followRedirects: false);
        var unknown = $"nobody-{Guid.NewGuid():N}@test.fr";

        for (var i = 0; i < 5; i++)
        {
            Assert.Contains(Invalid, (await SignInAsync(client, email, "wrong password")).Html);
            Assert.Contains(Invalid, (await SignInAsync(client, unknown, "wrong password")).Html);
        }
        Assert.Contains(Throttled, (await SignInAsync(client, email, "wrong password")).Html);
        Assert.Contains(Throttled, (await SignInAsync(client, unknown, "wrong password")).Html);
        // While throttled, even the right password is not checked: a guesser learns nothing from a hit.
        Assert.Contains(Throttled, (await SignInAsync(client, email, "Solidons2026!")).Html);
        Assert.DoesNotContain("Lockout", (await SignInAsync(client, email, "Solidons2026!")).Html);
    }

    [Fact]
    public async Task Every_attempt_from_one_address_spends_its_budget()
    {
        await using var app = new CustomPortalFactory(settings: new Dictionary<string, string> { ["Account:SignInsPerMinutePerAddress"] = "20" });
        await ((IAsyncLifetime)app).InitializeAsync();
        using var client = app.CreateHttpClient(followRedirects: false);

        var answers = new List<string>();
        for (var i = 0; i < 21; i++) answers.Add((await SignInAsync(client, $"n{i}-{Guid.NewGuid():N}@test.fr", "x")).Html);

        Assert.All(answers.Take(20), a => Assert.Contains(Invalid, a));
        Assert.Contains(Throttled, answers[20]);
    }

    [Fact]
    public async Task Behind_a_proxy_on_loopback_each_forwarded_client_has_its_own_budget()
    {
        await using var app = new CustomPortalFactory(settings: new Dictionary<string, string> { ["Account:SignInsPerMinutePerAddress"] = "2" });
        await ((IAsyncLifetime)app).InitializeAsync();
        using var client = app.CreateHttpClient(followRedirects: false);

        async Task<string> FromAsync(string clientAddress)
        {
            client.DefaultRequestHeaders.Remove("X-Forwarded-For");
            client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
            return (await SignInAsync(client, $"n-{Guid.NewGuid():N}@test.fr", "x")).Html;
        }

        Assert.Contains(Invalid, await FromAsync("203.0.113.7"));
        Assert.Contains(Invalid, await FromAsync("203.0.113.7"));
        Assert.Contains(Throttled, await FromAsync("203.0.113.7"));
        Assert.Contains(Invalid, await FromAsync("203.0.113.8"));
    }

    [Fact]
    public async Task An_unknown_address_takes_about_as_long_to_refuse_as_an_existing_one()
    {
        await using var app = new CustomPortalFactory(settings: new Dictionary<string, string>
        {
            ["Account:SignInsPerMinutePerAddress"] = "1000", ["Account:FailuresPerQuarterHourPerAccountAndAddress"] = "1000",
        });
        await ((IAsyncLifetime)app).InitializeAsync();
        var email = $"ana-{Guid.NewGuid():N}@test.fr";
        await TestWorld.UserAsync(app, email, Roles.Contributor);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>();
            Assert.True((await users.AddPasswordAsync((await users.FindByEmailAsync(email))!, "Solidons2026!")).Succeeded);
        }
        using var client = app.CreateHttpClient(followRedirects: false);
        await SignInAsync(client, email, "warm up");
        await SignInAsync(client, "warm@up.fr", "warm up");

        var known = new List<double>();
        var stranger = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            known.Add((await SignInAsync(client, email, $"wrong {i}")).Took.TotalMilliseconds);
            stranger.Add((await SignInAsync(client, $"x{i}-{Guid.NewGuid():N}@test.fr", $"wrong {i}")).Took.TotalMilliseconds);
        }
        var (k, s) = (known.Order().ElementAt(4), stranger.Order().ElementAt(4));
        // Without the decoy check the ratio was about 30 (3 ms against 90 ms): the medians now differ by far less.
        Assert.True(s > k * 0.4 && s < k * 2.5, $"median refusal: existing {k:F1} ms, unknown {s:F1} ms");
    }

    [Fact]
    public async Task Reset_links_for_one_account_are_throttled_like_failed_sign_ins_with_the_same_answer()
    {
        await using var app = new CustomPortalFactory(settings: new Dictionary<string, string> { ["Account:SignInsPerMinutePerAddress"] = "20" });
        await ((IAsyncLifetime)app).InitializeAsync();
        var email = $"ana-{Guid.NewGuid():N}@test.fr";
        await TestWorld.UserAsync(app, email, Roles.Contributor);
        using var client = app.CreateHttpClient(followRedirects: false);

        var answers = new List<(HttpStatusCode, string?)>();
        for (var i = 0; i < 8; i++)
        {
            var page = await client.GetStringAsync("/Account/ForgotPassword");
            using var response = await client.PostAsync("/Account/ForgotPassword", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value, ["_handler"] = "forgot-password", ["Input.Email"] = email,
            }));
            answers.Add((response.StatusCode, response.Headers.Location?.ToString()));
        }

        Assert.Single(answers.Distinct());
        await using var db = app.CreateDbContext();
        Assert.Equal(5, await db.OutboxEmails.CountAsync(e => e.To == email));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
