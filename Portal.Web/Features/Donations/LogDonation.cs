using FluentValidation;
using Microsoft.Extensions.Localization;
using Portal.Domain.Campaigns;

namespace Portal.Web.Features.Donations;

/// <summary>Solidons collected at one establishment: from the quick-entry form, the end-of-day batch or a till system.</summary>
public sealed class LogDonation
{
    public int CampaignId { get; set; }
    public int EstablishmentId { get; set; }
    public decimal? Amount { get; set; }
    public int? Solidons { get; set; }
    public int? Bills { get; set; }
    public DateTimeOffset? CollectedAt { get; set; }
    /// <summary>Vote tickets to mint with the entry, one per bill that carried a solidon (the till API asks for them).</summary>
    public int Tickets { get; set; }
}

public sealed class LogDonationValidator : AbstractValidator<LogDonation>
{
    public LogDonationValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.CampaignId).GreaterThan(0).WithMessage(_ => L["Val.CampaignRequired"]);
        RuleFor(x => x.EstablishmentId).GreaterThan(0).WithMessage(_ => L["Val.EstablishmentRequired"]);
        RuleFor(x => x.Amount).NotNull().WithMessage(_ => L["Val.AmountRequired"])
            .GreaterThan(0).WithMessage(_ => L["Val.AmountPositive"])
            .LessThanOrEqualTo(100_000).WithMessage(_ => L["Val.AmountTooLarge"])
            .PrecisionScale(9, 2, ignoreTrailingZeros: true).WithMessage(_ => L["Val.AmountCents"]);
        RuleFor(x => x.Solidons).NotNull().WithMessage(_ => L["Val.SolidonsRequired"])
            .InclusiveBetween(1, Campaign.MaxSolidonsPerEntry).WithMessage(_ => L["Val.SolidonsRange"]);
        RuleFor(x => x.Bills).GreaterThanOrEqualTo(x => x.Solidons ?? 0).When(x => x.Bills is not null)
            .WithMessage(_ => L["Val.BillsBelowSolidons"])
            .LessThanOrEqualTo(Campaign.MaxBillsPerEntry).WithMessage(_ => L["Val.BillsTooMany"]);
        RuleFor(x => x.Tickets).InclusiveBetween(0, Campaign.MaxTicketsPerEntry).WithMessage(_ => L["Val.TicketsRange"])
            .LessThanOrEqualTo(x => x.Solidons ?? 0).WithMessage(_ => L["Val.TicketsAboveSolidons"]);
    }
}

public sealed class ReverseDonation
{
    public long EntryId { get; set; }
    public string Reason { get; set; } = "";
}

public sealed class ReverseDonationValidator : AbstractValidator<ReverseDonation>
{
    public ReverseDonationValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.EntryId).GreaterThan(0);
        RuleFor(x => x.Reason).NotEmpty().WithMessage(_ => L["Val.ReasonRequired"])
            .MaximumLength(300).WithMessage(_ => L["Val.ReasonTooLong"]);
    }
}
