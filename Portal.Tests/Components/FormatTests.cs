using System.Globalization;
using Portal.Web.Components.Shared;

namespace Portal.Tests.Components;

public class FormatTests
{
    [Fact]
    public void Euros_keep_their_sign_and_digit_groups_on_one_line()
    {
        var text = Format.Euros(283878);
        Assert.Equal("2\u202F838,78\u00A0€", text);
        Assert.DoesNotContain(' ', text);
    }

    [Theory]
    [InlineData("fr-FR", 1, "1er\u00A0décembre\u00A02026")]
    [InlineData("fr-FR", 2, "2\u00A0décembre\u00A02026")]
    [InlineData("en-GB", 1, "1\u00A0December\u00A02026")]
    public void The_first_of_the_month_is_an_ordinal_in_french(string culture, int day, string expected)
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            Assert.Equal(expected, Format.Date(new DateOnly(2026, 12, day)));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void A_moment_shows_the_time_alone_today_and_the_day_otherwise()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
        try
        {
            var evening = new DateTimeOffset(2026, 12, 1, 19, 49, 0, TimeSpan.Zero).ToLocalTime();
            Assert.Equal(Format.Time(evening), Format.Moment(evening, evening.AddMinutes(5)));
            var nextWeek = evening.AddDays(7);
            Assert.Equal($"{evening.Day}{(evening.Day == 1 ? "er" : "")}\u00A0{evening.ToString("MMM", CultureInfo.CurrentCulture)}\u00A0{Format.Time(evening)}",
                Format.Moment(evening, nextWeek));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}

public class PluralTests
{
    private static readonly Microsoft.Extensions.Localization.IStringLocalizer L =
        new Microsoft.Extensions.Localization.ResourceManagerStringLocalizerFactory(
            Microsoft.Extensions.Options.Options.Create(new Microsoft.Extensions.Localization.LocalizationOptions { ResourcesPath = "Resources" }),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).Create(typeof(Portal.Web.SharedResource));

    [Theory]
    [InlineData("fr-FR", 1, "12,50 € (1 solidon) enregistrés.")]
    [InlineData("fr-FR", 0, "12,50 € (0 solidon) enregistrés.")]
    [InlineData("fr-FR", 2, "12,50 € (2 solidons) enregistrés.")]
    [InlineData("en-GB", 1, "12,50 € (1 solidon) saved.")]
    [InlineData("en-GB", 0, "12,50 € (0 solidons) saved.")]
    public void A_count_takes_the_singular_its_language_gives_it_in_a_confirmation(string culture, int solidons, string expected) =>
        InCulture(culture, () => Assert.Equal(expected, L.Count("Merchant.Saved", solidons, "12,50 €", solidons.ToString(CultureInfo.InvariantCulture))));

    [Theory]
    [InlineData("fr-FR", 1, "1 déclaration attend votre réponse depuis plus de 7 jours.")]
    [InlineData("fr-FR", 3, "3 déclarations attendent votre réponse depuis plus de 7 jours.")]
    [InlineData("en-GB", 1, "1 entry has waited for your answer for more than 7 days.")]
    public void A_structures_reminder_agrees_with_its_count(string culture, int waiting, string expected) =>
        InCulture(culture, () => Assert.Equal(expected, L.Count("Structure.Reminder", waiting, waiting, 7)));

    private static void InCulture(string culture, Action assert)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            assert();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }
}
