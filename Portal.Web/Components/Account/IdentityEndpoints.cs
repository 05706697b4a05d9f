using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Portal.Data.Identity;

namespace Portal.Web.Components.Account;

internal static class IdentityEndpoints
{
    public static void MapAdditionalIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Sign-out is a POST with an antiforgery token, so a link on another site cannot sign anyone out.
        endpoints.MapPost("/Account/Logout", async ([FromServices] SignInManager<PortalUser> signInManager, [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect(LocalOrHome(returnUrl));
        });

        // Passkeys (WebAuthn): the browser asks for options, makes or uses a credential, and posts it with the page's form.
        // The options endpoints check the page's antiforgery token themselves (they are called by script, not a form).
        endpoints.MapPost("/Account/PasskeyCreationOptions", async (HttpContext http, IAntiforgery antiforgery, UserManager<PortalUser> users,
            SignInManager<PortalUser> signInManager) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            var user = await users.GetUserAsync(http.User);
            if (user is null) return Results.Unauthorized();
            var options = await signInManager.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity
            {
                Id = user.Id, Name = user.Email ?? user.UserName!, DisplayName = user.DisplayName,
            });
            return Results.Content(options, "application/json");
        }).RequireAuthorization().DisableAntiforgery();

        endpoints.MapPost("/Account/PasskeyRequestOptions", async (HttpContext http, IAntiforgery antiforgery, SignInManager<PortalUser> signInManager) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            // No user named: the authenticator offers the passkeys it holds for this site (discoverable credentials).
            return Results.Content(await signInManager.MakePasskeyRequestOptionsAsync(null), "application/json");
        }).DisableAntiforgery();

        endpoints.MapPost("/Account/PasskeyAdd", async (HttpContext http, [FromForm] string? credential, UserManager<PortalUser> users,
            SignInManager<PortalUser> signInManager) =>
        {
            var user = await users.GetUserAsync(http.User);
            if (user is null) return Results.Unauthorized();
            if (string.IsNullOrWhiteSpace(credential) || credential.Length > 64_000) return Results.LocalRedirect("/moi?passkey=failed");
            PasskeyAttestationResult attestation;
            try
            {
                attestation = await signInManager.PerformPasskeyAttestationAsync(credential);
            }
            catch (Exception e) when (IsBadCeremony(e))
            {
                return Results.LocalRedirect("/moi?passkey=failed");
            }
            if (!attestation.Succeeded) return Results.LocalRedirect("/moi?passkey=failed");
            attestation.Passkey.Name = $"Clé du {DateTimeOffset.UtcNow:yyyy-MM-dd}";
            var added = await users.AddOrUpdatePasskeyAsync(user, attestation.Passkey);
            return Results.LocalRedirect(added.Succeeded ? "/moi?passkey=added" : "/moi?passkey=failed");
        }).RequireAuthorization();

        endpoints.MapPost("/Account/PasskeyLogin", async ([FromForm] string? credential, [FromForm] string? returnUrl, SignInManager<PortalUser> signInManager) =>
        {
            if (string.IsNullOrWhiteSpace(credential) || credential.Length > 64_000)
                return Results.LocalRedirect("/Account/Login?passkey=failed");
            Microsoft.AspNetCore.Identity.SignInResult result;
            try
            {
                result = await signInManager.PasskeySignInAsync(credential);
            }
            catch (Exception e) when (IsBadCeremony(e))
            {
                return Results.LocalRedirect("/Account/Login?passkey=failed");
            }
            return Results.LocalRedirect(result.Succeeded ? LocalOrHome(returnUrl) : "/Account/Login?passkey=failed");
        });
    }

    // A credential that is not JSON, or posted without the options step that starts the ceremony: the visitor's
    // mistake (or a forgery), answered as a failed passkey, never a 500.
    private static bool IsBadCeremony(Exception e) => e is System.Text.Json.JsonException or InvalidOperationException or FormatException;

    // Local paths only, and none with a control character (LocalRedirect throws on "/%0A...", a 500 after a sign-in).
    private static string LocalOrHome(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") && !url.Any(char.IsControl) ? url : "/";
}
