using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Portal.Data.Identity;

namespace Portal.Web.Components.Account;

internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string StatusCookieName = "Identity.StatusMessage";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    public void RedirectTo(string? uri) => navigationManager.NavigateTo(LocalOrHome(uri));

    /// <summary>
    /// Only this site's pages: an absolute address of the portal becomes its path; another site ("https://evil.example",
    /// "//evil.example", "/\evil.example") or anything malformed becomes the home page, so a crafted ReturnUrl signs the
    /// visitor in and lands them here rather than failing or leaving.
    /// </summary>
    private string LocalOrHome(string? uri)
    {
        uri ??= "";
        // A path is not an absolute URI, though on Unix Uri reads "/moi" as file:///moi.
        if (!uri.StartsWith('/') && Uri.TryCreate(uri, UriKind.Absolute, out var absolute))
        {
            var portal = new Uri(navigationManager.BaseUri);
            // Scheme and host compare without case, as URIs do; anything else is another site.
            if (absolute.Scheme != portal.Scheme || absolute.Host != portal.Host || absolute.Port != portal.Port) return "/";
            uri = absolute.PathAndQuery + absolute.Fragment;
        }
        var local = uri.Length == 0
            || (Uri.IsWellFormedUriString(uri, UriKind.Relative) && !uri.StartsWith("//", StringComparison.Ordinal)
                && !uri.Contains('\\') && !uri.Any(char.IsControl));
        return local ? uri : "/";
    }

    public void RedirectTo(string uri, Dictionary<string, object?> queryParameters)
    {
        var uriWithoutQuery = navigationManager.ToAbsoluteUri(uri).GetLeftPart(UriPartial.Path);
        var newUri = navigationManager.GetUriWithQueryParameters(uriWithoutQuery, queryParameters);
        RedirectTo(newUri);
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    private string CurrentPath => navigationManager.ToAbsoluteUri(navigationManager.Uri).GetLeftPart(UriPartial.Path);

    public void RedirectToCurrentPage() => RedirectTo(CurrentPath);

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context)
        => RedirectToWithStatus(CurrentPath, message, context);

    public void RedirectToInvalidUser(UserManager<PortalUser> userManager, HttpContext context)
        => RedirectToWithStatus("Account/InvalidUser", $"Error: Unable to load user with ID '{userManager.GetUserId(context.User)}'.", context);
}
