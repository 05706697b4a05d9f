using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Data;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;

namespace Portal.Web.Features.Donations;

public sealed class RecordRemittance
{
    public int CampaignId { get; set; }
    public int EstablishmentId { get; set; }
    public decimal? Amount { get; set; }
    public DateTime? RemittedOn { get; set; }
    public string Reference { get; set; } = "";
}

public sealed class RecordRemittanceValidator : AbstractValidator<RecordRemittance>
{
    public RecordRemittanceValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.CampaignId).GreaterThan(0).WithMessage(_ => L["Val.CampaignRequired"]);
        RuleFor(x => x.EstablishmentId).GreaterThan(0).WithMessage(_ => L["Val.EstablishmentRequired"]);
        RuleFor(x => x.Amount).NotNull().WithMessage(_ => L["Val.AmountRequired"])
            .GreaterThan(0).WithMessage(_ => L["Val.AmountPositive"])
            .PrecisionScale(9, 2, ignoreTrailingZeros: true).WithMessage(_ => L["Val.AmountCents"]);
        RuleFor(x => x.RemittedOn).NotNull().WithMessage(_ => L["Val.DateRequired"]);
        RuleFor(x => x.Reference).NotEmpty().WithMessage(_ => L["Val.ReferenceRequired"]).MaximumLength(100);
    }
}

/// <summary>
/// An establishment hands over what it collected. <see cref="CampaignWriter"/> appends the remittance and moves the
/// establishment's tally in the same transaction, so "declared minus remitted" is always what it still holds.
/// </summary>
public sealed class RemittanceService(IDbContextFactory<PortalDbContext> dbFactory, IValidator<RecordRemittance> validator, TimeProvider clock)
{
    public async Task<Remittance> RecordAsync(Actor actor, RecordRemittance command, CancellationToken cancellationToken = default)
    {
        await validator.ValidateAndThrowAsync(command, cancellationToken);
        if (!actor.MayLogFor(command.EstablishmentId))
            throw new ForbiddenException("You may only declare remittances for your own establishment.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        Remittance remittance = null!;
        await db.InTransactionAsync(async ct =>
        {
            var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == command.CampaignId, ct)
                ?? throw new DomainException("campaign.not_found", "This campaign does not exist.");
            var tally = await db.EstablishmentTallies.AsNoTracking()
                .SingleOrDefaultAsync(t => t.CampaignId == command.CampaignId && t.EstablishmentId == command.EstablishmentId, ct)
                ?? new EstablishmentTally();
            var change = campaign.RecordRemittance(command.EstablishmentId, Money.FromEuros(command.Amount!.Value), tally.Outstanding,
                DateOnly.FromDateTime(command.RemittedOn!.Value), command.Reference, actor.UserId, clock.GetUtcNow());
            await db.ApplyAsync(change, ct);
            remittance = change.Remittances[0];
        }, cancellationToken);
        return remittance;
    }
}
