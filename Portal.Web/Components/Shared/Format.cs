using System.Globalization;
using Portal.Domain.Campaigns;

namespace Portal.Web.Components.Shared;

public static class Format
{
    /// <summary>Amounts are always shown the French way ("1 234,50 €"), whatever the interface language.</summary>
    public static readonly CultureInfo Money = CultureInfo.GetCultureInfo("fr-FR");

    public static string Euros(long cents) => (cents / 100m).ToString("C", Money);

    public static string Euros(Portal.Domain.Common.Money amount) => Euros(amount.Cents);

    public static string Number(long value) => value.ToString("N0", Money);

    public static string Date(DateTimeOffset at) => at.ToLocalTime().ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    public static string Date(DateOnly on) => on.ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    public static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("t", CultureInfo.CurrentCulture);

    public static string Percent(double ratio) => ratio.ToString("P0", CultureInfo.CurrentCulture);

    public static MudBlazor.Color StatusColor(CampaignStatus status) => status switch
    {
        CampaignStatus.Open => MudBlazor.Color.Success,
        CampaignStatus.Closed => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Default,
    };
}
