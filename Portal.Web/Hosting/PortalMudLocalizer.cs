using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Portal.Web.Hosting;

/// <summary>
/// MudBlazor's own messages in the portal's languages: without it a field that cannot read what was typed says
/// "Not a valid number" in English on a French page. Keys MudBlazor uses that the portal has no text for keep
/// MudBlazor's wording.
/// </summary>
public sealed class PortalMudLocalizer(IStringLocalizer<SharedResource> L) : MudLocalizer
{
    public override LocalizedString this[string key] =>
        L[$"Mud.{key}"] is { ResourceNotFound: false } text ? new LocalizedString(key, text.Value) : new LocalizedString(key, key, resourceNotFound: true);
}
