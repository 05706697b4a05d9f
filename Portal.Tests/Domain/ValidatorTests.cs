using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Portal.Web;
using Portal.Web.Components.Account;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Loans;

namespace Portal.Tests.Domain;

/// <summary>The validators behind both the forms and the API, with their French messages.</summary>
public class ValidatorTests
{
    private static readonly IServiceProvider Services = new ServiceCollection()
        .AddLogging().AddLocalization(o => o.ResourcesPath = "Resources").AddSingleton(TimeProvider.System)
        .AddValidatorsFromAssemblyContaining<Program>().BuildServiceProvider();

    private static IValidator<T> V<T>() => Services.GetRequiredService<IValidator<T>>();

    [Theory]
    [InlineData(12.5, 10, null, true)]
    [InlineData(0.01, 1, 1, true)]
    [InlineData(0, 1, null, false)]
    [InlineData(-1, 1, null, false)]
    [InlineData(1.234, 1, null, false)]
    [InlineData(100001, 1, null, false)]
    [InlineData(5, 0, null, false)]
    [InlineData(5, 10, 9, false)]
    public void Donation_entries_are_checked_field_by_field(double amount, int solidons, int? bills, bool valid)
    {
        var result = V<LogDonation>().Validate(new LogDonation { CampaignId = 1, EstablishmentId = 1, Amount = (decimal)amount, Solidons = solidons, Bills = bills });
        Assert.Equal(valid, result.IsValid);
    }

    [Fact]
    public void Missing_fields_get_french_messages()
    {
        var result = V<LogDonation>().Validate(new LogDonation());
        Assert.Contains(result.Errors, e => e.ErrorMessage == "Indiquez le montant collecté.");
        Assert.Contains(result.Errors, e => e.ErrorMessage == "Choisissez une campagne.");
    }

    [Theory]
    [InlineData(1.5, 0, true)]
    [InlineData(0, 0, false)]
    [InlineData(1.1, 0, false)]
    [InlineData(13, 0, false)]
    [InlineData(2, 2, false)]
    public void Hours_entries_refuse_zero_odd_absurd_or_future_hours(double hours, int daysAhead, bool valid)
    {
        var result = V<LogHours>().Validate(new LogHours { LoanId = 1, CommitmentId = 1, Hours = (decimal)hours, WorkedOn = DateTime.Today.AddDays(daysAhead), Description = "Atelier" });
        Assert.Equal(valid, result.IsValid);
    }

    [Fact]
    public void Sign_up_requires_matching_passwords_of_eight_characters()
    {
        var result = V<RegisterInput>().Validate(new RegisterInput { DisplayName = "Ana", Email = "ana@exemple.fr", Password = "court", ConfirmPassword = "autre" });
        Assert.Equal(["Password", "ConfirmPassword"], result.Errors.Select(e => e.PropertyName));
    }

    [Fact]
    public void A_dispute_needs_a_reason_but_a_confirmation_does_not()
    {
        Assert.True(V<DecideHours>().Validate(new DecideHours { EntryId = 1, Confirm = true }).IsValid);
        Assert.False(V<DecideHours>().Validate(new DecideHours { EntryId = 1, Confirm = false, Reason = "" }).IsValid);
    }
}

public class PasswordRuleTests
{
    [Theory]
    [InlineData("12345678", false)]
    [InlineData("Solidons26!", false)]          // 11 characters of four kinds
    [InlineData("Solidons2026!", true)]         // 13 of four kinds
    [InlineData("solidons2026!x", true)]        // 14 of three kinds
    [InlineData("solidons2026!", false)]        // 13 of three kinds
    [InlineData("aaaaaaaaaaaaaaaaaaaa", false)] // 20 of one kind
    [InlineData("un mot de passe de sept mots", true)]
    [InlineData("un bon mot de passe", false)]  // five words
    public void Passwords_follow_the_CNIL_rule_for_password_only_sign_in(string password, bool strong) =>
        Assert.Equal(strong, Portal.Web.Components.Account.PasswordRule.IsStrong(password));
}
