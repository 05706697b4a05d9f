using System.Globalization;
using Portal.Domain.Campaigns;

namespace Portal.Web.Components.Shared;

public static class Format
{
    /// <summary>Amounts are always shown the French way ("1 234,50 €"), whatever the interface language.</summary>
    public static readonly CultureInfo Money = CultureInfo.GetCultureInfo("fr-FR");

    // The system's fr-FR data puts a plain space before "€", so the sign wrapped onto a line of its own ("2 838,78 /
    // €"): French sets it with a no-break space, as the digit groups already are (narrow no-break spaces).
    public static string Euros(long cents) => (cents / 100m).ToString("C", Money).Replace(' ', '\u00A0');

    public static string Euros(Portal.Domain.Common.Money amount) => Euros(amount.Cents);

    public static string Number(long value) => value.ToString("N0", Money);

    public static string Date(DateTimeOffset at) => Date(DateOnly.FromDateTime(at.ToLocalTime().DateTime));

    /// <summary>"1er décembre 2026" in French (the first of the month is an ordinal), "1 December 2026" in English.</summary>
    public static string Date(DateOnly on) => DayAndMonth(on.ToDateTime(TimeOnly.MinValue), "MMMM yyyy");

    // French writes the first of the month as an ordinal; the parts never break apart.
    private static string DayAndMonth(DateTime on, string rest, string suffix = "")
    {
        var culture = CultureInfo.CurrentCulture;
        var first = on.Day == 1 && culture.TwoLetterISOLanguageName == "fr";
        return (on.ToString((first ? "d'er' " : "d ") + rest, culture) + suffix).Replace(' ', '\u00A0');
    }

    public static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("t", CultureInfo.CurrentCulture);

    /// <summary>The time alone for today, the day and the time otherwise ("28 nov. 19:49"): entries of different days differ.</summary>
    public static string Moment(DateTimeOffset at, DateTimeOffset now)
    {
        var local = at.ToLocalTime().DateTime;
        return local.Date == now.ToLocalTime().Date ? Time(at) : DayAndMonth(local, "MMM", " " + Time(at));
    }

    /// <summary>The association's time zone: an event in Lyon starts at 19:00 there, whatever zone the server runs in.</summary>
    public static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    /// <summary>"jeudi 10 décembre 2026, 19:00 – 21:30" in Paris time; an event over several days names both days.</summary>
    public static string EventWhen(DateTimeOffset starts, DateTimeOffset ends)
    {
        var (from, to) = (TimeZoneInfo.ConvertTime(starts, Paris).DateTime, TimeZoneInfo.ConvertTime(ends, Paris).DateTime);
        var culture = CultureInfo.CurrentCulture;
        string Day(DateTime d) => d.ToString("dddd ", culture) + DayAndMonth(d, "MMMM yyyy");
        string Clock(DateTime d) => d.ToString("t", culture);
        return from.Date == to.Date
            ? $"{Day(from)}, {Clock(from)}\u00A0– {Clock(to)}"
            : $"{Day(from)}, {Clock(from)}\u00A0– {Day(to)}, {Clock(to)}";
    }

    public static string Percent(double ratio) => ratio.ToString("P0", CultureInfo.CurrentCulture);

    public static MudBlazor.Color StatusColor(CampaignStatus status) => status switch
    {
        CampaignStatus.Open => MudBlazor.Color.Success,
        CampaignStatus.Closed => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Default,
    };
}

public static class Plurals
{
    /// <summary>
    /// The text of <paramref name="key"/> for <paramref name="count"/>: its ".One" form where the language says
    /// the count is singular (French: 0 and 1, "1 solidon"; English: 1 only), the plain key otherwise.
    /// </summary>
    public static string Count(this Microsoft.Extensions.Localization.IStringLocalizer L, string key, long count, params object[] arguments)
    {
        var singular = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fr" ? count is 0 or 1 or -1 : count is 1 or -1;
        var text = singular && L[$"{key}.One"] is { ResourceNotFound: false } one ? one : L[key];
        return string.Format(CultureInfo.CurrentCulture, text.Value, arguments);
    }
}
