using Microsoft.AspNetCore.Components;

namespace Portal.Web.Components.Shared;

/// <summary>
/// MudBlazor's markup and classes for the few elements the busiest public pages repeat (icons, link buttons, nav
/// links), written without a component behind each. Those pages are rendered for every visitor and each component
/// costs an allocation-heavy instance per render; the look is MudBlazor's own, from its stylesheet.
/// </summary>
public static class MudMarkup
{
    /// <summary>An icon from <c>Icons.Material.*</c>, decorative (hidden from assistive technology).</summary>
    public static RenderFragment Icon(string svg, string extraClass = "", string size = "medium") => builder =>
    {
        builder.OpenElement(0, "svg");
        builder.AddAttribute(1, "class", $"mud-icon-root mud-svg-icon mud-icon-size-{size} {extraClass}");
        builder.AddAttribute(2, "focusable", "false");
        builder.AddAttribute(3, "viewBox", "0 0 24 24");
        builder.AddAttribute(4, "aria-hidden", "true");
        builder.AddMarkupContent(5, svg);
        builder.CloseElement();
    };

    /// <summary>A MudButton with an Href: a link that looks like a button.</summary>
    public static RenderFragment LinkButton(string href, string text, string? icon = null, string variant = "filled",
        string color = "primary", string size = "medium", string? lang = null) => builder =>
    {
        builder.OpenElement(0, "a");
        builder.AddAttribute(1, "href", href);
        builder.AddAttribute(2, "class", $"mud-button-root mud-button mud-button-{variant} mud-button-{variant}-{color} mud-button-{variant}-size-{size} mud-ripple");
        builder.AddAttribute(3, "lang", lang);
        builder.OpenElement(4, "span");
        builder.AddAttribute(5, "class", "mud-button-label");
        if (icon is not null)
        {
            builder.OpenElement(6, "span");
            builder.AddAttribute(7, "class", $"mud-button-icon-start mud-button-icon-size-{size}");
            builder.AddContent(8, Icon(icon, size: size));
            builder.CloseElement();
        }
        builder.AddContent(9, text);
        builder.CloseElement();
        builder.CloseElement();
    };

    /// <summary>A MudNavLink: an item of a MudNavMenu.</summary>
    public static RenderFragment NavLink(string href, string icon, string text) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "mud-nav-item");
        builder.OpenElement(2, "a");
        builder.AddAttribute(3, "href", href);
        builder.AddAttribute(4, "class", "mud-nav-link mud-ripple");
        builder.AddContent(5, Icon(icon, "mud-icon-default mud-nav-link-icon mud-nav-link-icon-default"));
        builder.OpenElement(6, "div");
        builder.AddAttribute(7, "class", "mud-nav-link-text");
        builder.AddContent(8, text);
        builder.CloseElement();
        builder.CloseElement();
        builder.CloseElement();
    };

    /// <summary>
    /// A MudAlert's markup (text variant, no elevation): <paramref name="role"/> is "alert" for a refusal read out at
    /// once, "status" for news that can wait its turn.
    /// </summary>
    public static RenderFragment Alert(string severity, string text, string role, string margin = "mb-4") => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "role", role);
        builder.AddAttribute(2, "class", $"mud-alert mud-alert-text-{severity} mud-elevation-0 {margin}");
        builder.OpenElement(3, "div");
        builder.AddAttribute(4, "class", "mud-alert-position");
        builder.OpenElement(5, "div");
        builder.AddAttribute(6, "class", "mud-alert-message");
        builder.AddContent(7, text);
        builder.CloseElement();
        builder.CloseElement();
        builder.CloseElement();
    };
}
