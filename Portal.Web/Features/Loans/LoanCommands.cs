using FluentValidation;
using Microsoft.Extensions.Localization;

namespace Portal.Web.Features.Loans;

public sealed class LogHours
{
    public int LoanId { get; set; }
    public int CommitmentId { get; set; }
    public DateTime? WorkedOn { get; set; }
    public decimal? Hours { get; set; }
    public string Description { get; set; } = "";
}

public sealed class LogHoursValidator : AbstractValidator<LogHours>
{
    public LogHoursValidator(IStringLocalizer<SharedResource> L, TimeProvider clock)
    {
        RuleFor(x => x.CommitmentId).GreaterThan(0).WithMessage(_ => L["Val.CommitmentRequired"]);
        RuleFor(x => x.WorkedOn).NotNull().WithMessage(_ => L["Val.DateRequired"])
            .Must(d => d is null || d.Value.Date <= clock.GetLocalNow().Date).WithMessage(_ => L["Err.hours.future"]);
        RuleFor(x => x.Hours).NotNull().WithMessage(_ => L["Val.HoursRequired"])
            .GreaterThan(0).WithMessage(_ => L["Err.hours.positive"])
            .LessThanOrEqualTo(12).WithMessage(_ => L["Err.hours.too_many"])
            .Must(h => h is null || h * 4 == decimal.Truncate(h.Value * 4)).WithMessage(_ => L["Err.hours.quarter"]);
        RuleFor(x => x.Description).NotEmpty().WithMessage(_ => L["Val.DescriptionRequired"])
            .MaximumLength(1000).WithMessage(_ => L["Val.DescriptionTooLong"]);
    }
}

public sealed class DecideHours
{
    public long EntryId { get; set; }
    public bool Confirm { get; set; }
    public string Reason { get; set; } = "";
}

public sealed class DecideHoursValidator : AbstractValidator<DecideHours>
{
    public DecideHoursValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.EntryId).GreaterThan(0);
        RuleFor(x => x.Reason).NotEmpty().When(x => !x.Confirm).WithMessage(_ => L["Val.ReasonRequired"])
            .MaximumLength(500).WithMessage(_ => L["Val.ReasonTooLong"]);
    }
}
