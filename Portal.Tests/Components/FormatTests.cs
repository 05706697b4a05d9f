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
