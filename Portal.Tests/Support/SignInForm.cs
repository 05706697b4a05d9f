using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Identity;

namespace Portal.Tests.Support;

/// <summary>Signing in as a visitor does: the form read with one client, posted with another (the same or another node).</summary>
public static partial class SignInForm
{
    public const string Password = "un mot de passe de sept mots";

    /// <summary>A new account of <paramref name="role"/> with <see cref="Password"/>; its e-mail address.</summary>
    public static async Task<string> AccountAsync(PortalAppFactory app, string role, string? email = null)
    {
        email ??= $"ana-{Guid.NewGuid():N}@test.fr";
        await TestWorld.UserAsync(app, email, role);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        Assert.True((await users.AddPasswordAsync((await users.FindByEmailAsync(email))!, Password)).Succeeded);
        return email;
    }

    /// <summary>Posts the sign-in form that <paramref name="form"/> read, with <paramref name="post"/>; the answer is a redirect when it worked.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient form, HttpClient post, string email)
    {
        var page = await form.GetStringAsync("Account/Login");
        return await post.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value,
            ["_handler"] = "login", ["Input.Email"] = email, ["Input.Password"] = Password,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
