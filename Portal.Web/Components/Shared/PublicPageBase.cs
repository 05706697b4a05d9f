using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;

namespace Portal.Web.Components.Shared;

/// <summary>
/// A public page, rendered statically. Its parts that only do something for signed-in users (follow, comment,
/// contact) are interactive islands for them alone: a visitor sees their static form, a link to sign in, and costs the
/// server no circuit for it.
/// </summary>
public abstract class PublicPageBase : ComponentBase
{
    [CascadingParameter] private Task<AuthenticationState>? AuthState { get; set; }

    /// <summary>Interactive Server for a signed-in user; static (null) for a visitor.</summary>
    protected IComponentRenderMode? SignedInOnly { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        var signedIn = AuthState is not null && (await AuthState).User.Identity?.IsAuthenticated == true;
        SignedInOnly = signedIn ? RenderMode.InteractiveServer : null;
    }
}
