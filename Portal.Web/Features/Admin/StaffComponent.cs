using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Portal.Web.Features.Admin;

/// <summary>
/// A back-office component: each action runs as the actor read from the database at that moment (the services check
/// the role again), and its outcome, or the reason it was refused, shows in a snackbar.
/// </summary>
public abstract class StaffComponent : ComponentBase
{
    [Inject] protected ActorResolver Actors { get; set; } = default!;
    [Inject] protected ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> Text { get; set; } = default!;
    [Inject] protected IDialogService Dialogs { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    protected async Task<Actor> ActorAsync() => await Actors.ResolveAsync((await AuthState).User);

    /// <summary>Runs <paramref name="action"/>; true when it succeeded.</summary>
    protected async Task<bool> ActAsync(Func<Actor, Task> action)
    {
        try
        {
            await action(await ActorAsync());
            Snackbar.Add(Text["Admin.Done"], Severity.Success);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Snackbar.Add(Text.Explain(e), Severity.Error);
            return false;
        }
    }

    /// <summary>Asks before an action that takes something away (archive, remove a role).</summary>
    protected async Task<bool> ConfirmAsync(string question) =>
        await Dialogs.ShowMessageBoxAsync(Text["Admin.ConfirmTitle"], question, yesText: Text["Admin.ConfirmYes"], cancelText: Text["Admin.ConfirmNo"]) == true;
}
