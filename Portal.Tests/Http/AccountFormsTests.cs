using System.Net;
using System.Text.RegularExpressions;
using Portal.Tests.Support;

namespace Portal.Tests.Http;

[Collection(DemoPortalCollection.Name)]
public partial class AccountFormsTests(DemoPortalFactory app)
{
    [Fact]
    public async Task Sign_up_with_bad_fields_shows_field_errors_in_french_and_creates_nobody()
    {
        using var client = app.CreateHttpClient();
        var html = await PostFormAsync(client, "/Account/Register", "register", new()
        {
            ["Input.DisplayName"] = "",
            ["Input.Email"] = "pas-une-adresse",
            ["Input.Password"] = "court",
            ["Input.ConfirmPassword"] = "autre",
        });
        Assert.Contains("Indiquez un prénom ou un pseudonyme.", html);
        Assert.Contains("Cette adresse e-mail n’est pas valide.", System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains("Ce mot de passe est trop faible", html);
        Assert.Contains("Les deux mots de passe ne correspondent pas.", html);
        await using var db = app.CreateDbContext();
        Assert.DoesNotContain(db.Users, u => u.Email == "pas-une-adresse");
    }

    [Fact]
    public async Task Sign_in_errors_follow_the_chosen_language()
    {
        using var client = app.CreateHttpClient();
        await client.GetAsync("/culture?c=en&r=/");
        var html = await PostFormAsync(client, "/Account/Login", "login", new() { ["Input.Email"] = "", ["Input.Password"] = "" });
        Assert.Contains("Enter your e-mail address.", html);
        Assert.Contains("Enter your password.", html);
    }

    [Fact]
    public async Task Sign_up_then_sign_out_then_sign_in_works_and_makes_a_contributor()
    {
        using var client = app.CreateHttpClient();
        var email = $"nouveau-{Guid.NewGuid():N}@exemple.fr";
        await PostFormAsync(client, "/Account/Register", "register", new()
        {
            ["Input.DisplayName"] = "Nina",
            ["Input.Email"] = email,
            ["Input.Password"] = "un mot de passe de sept mots",
            ["Input.ConfirmPassword"] = "un mot de passe de sept mots",
        });
        await using (var db = app.CreateDbContext())
        {
            var user = db.Users.Single(u => u.Email == email);
            var roles = db.UserRoles.Where(r => r.UserId == user.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name).ToList();
            Assert.Equal(["Contributor"], roles);
        }
        var signedIn = WebUtility.HtmlDecode(await client.GetStringAsync("/"));
        Assert.Contains("aria-label=\"Mon compte\"", signedIn);

        // The sign-out form lives in the account menu; any form page gives a token for the signed-in user.
        await PostFormAsync(client, "/Account/Logout", null, new() { ["returnUrl"] = "/" }, tokenFrom: "/Account/ForgotPassword");
        Assert.DoesNotContain("aria-label=\"Mon compte\"", WebUtility.HtmlDecode(await client.GetStringAsync("/")));

        var afterLogin = await PostFormAsync(client, "/Account/Login", "login", new() { ["Input.Email"] = email, ["Input.Password"] = "un mot de passe de sept mots" });
        Assert.Contains("aria-label=\"Mon compte\"", afterLogin);
    }

    [Fact]
    public async Task Password_reset_writes_an_email_to_the_pickup_folder_and_the_link_sets_a_new_password()
    {
        using var client = app.CreateHttpClient();
        var before = app.MailFiles();
        await PostFormAsync(client, "/Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = "contributeur@demo.solidons.fr" });

        var mail = Assert.Single(await app.NewMailAsync(before, containing: "ResetPassword"));
        var text = File.ReadAllText(mail);
        var link = WebUtility.HtmlDecode(ResetLink().Match(QuotedPrintable(text)).Value);
        Assert.StartsWith(app.BaseAddress.ToString(), link);

        var path = new Uri(link).PathAndQuery;
        var html = await PostFormAsync(client, path, "reset-password", new()
        {
            ["Input.Email"] = "contributeur@demo.solidons.fr",
            ["Input.Password"] = "Solidons2026!",
            ["Input.ConfirmPassword"] = "Solidons2026!",
        });
        Assert.Contains("Votre mot de passe a été changé.", html);
    }

    /// <summary>Gets the form page for its antiforgery token, then posts the fields as a browser would.</summary>
    internal static async Task<string> PostFormAsync(HttpClient client, string path, string? formName, Dictionary<string, string> fields, string? tokenFrom = null)
    {
        var page = await client.GetStringAsync(tokenFrom ?? path);
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        if (formName is not null) form["_handler"] = formName;
        var response = await client.PostAsync(path, new FormUrlEncodedContent(form));
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static string QuotedPrintable(string text) =>
        Regex.Replace(text.Replace("=\r\n", "").Replace("=\n", ""), "=([0-9A-F]{2})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("http://127\\.0\\.0\\.1:\\d+/Account/ResetPassword\\?code=[^\"<\\s]+")]
    private static partial Regex ResetLink();
}
