using MudBlazor;

namespace Portal.Web.Components.Layout;

public static class PortalTheme
{
    // Colours chosen for at least 4.5:1 contrast with white text (WCAG AA); system fonts, since no web font is fetched.
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0B6E4F",
            Secondary = "#B3400A",
            Tertiary = "#5B3E96",
            AppbarBackground = "#0B6E4F",
            Background = "#F7F8F6",
            TextPrimary = "#1C1B1F",
            TextSecondary = "#4A4A4F",
            Success = "#1B7A3A",
            Info = "#1A5FA8",
            Warning = "#8A5300",
            Error = "#B3261E",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "10px" },
    };
}
