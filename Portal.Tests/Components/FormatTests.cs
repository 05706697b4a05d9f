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
    public void A_count_takes_the_singular_its_language_gives_it(string culture, int solidons, string expected)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            Assert.Equal(expected, L.Count("Merchant.Saved", solidons, "12,50 €", solidons.ToString(CultureInfo.InvariantCulture)));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }
}
