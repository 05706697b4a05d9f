using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Common;
using Portal.Domain.Loans;

namespace Portal.Web.Features.Loans;

/// <summary>
/// Repayment in hours: logged by the entrepreneur of the project, confirmed or disputed by the structure they were
/// given to (disbursement is a campaign move: <see cref="Campaigns.CampaignLifecycle.DisburseAsync"/>). Each method checks the actor's role and ownership.
/// </summary>
public sealed class LoanService(
    IDbContextFactory<PortalDbContext> dbFactory,
    IValidator<LogHours> logValidator,
    IValidator<DecideHours> decideValidator,
    TimeProvider clock)
{
    /// <summary>The project's entrepreneur logs hours given to a structure; they stay pending until it answers.</summary>
    public async Task<HoursEntry> LogHoursAsync(Actor actor, LogHours command, CancellationToken cancellationToken = default)
    {
        await logValidator.ValidateAndThrowAsync(command, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var loan = await OwnLoanAsync(db, actor, command.LoanId, cancellationToken);
        var commitment = loan.Commitments.SingleOrDefault(c => c.Id == command.CommitmentId)
            ?? throw new DomainException("hours.commitment", "This commitment does not belong to this loan.");
        var notDisputed = await db.HoursEntries.Where(h => h.LoanId == loan.Id && h.Status != HoursStatus.Disputed)
            .Select(h => h.Hours).ToListAsync(cancellationToken);
        var entry = loan.LogHours(commitment.Id, DateOnly.FromDateTime(command.WorkedOn!.Value), Hours.From(command.Hours!.Value),
            commitment.Skill, command.Description, new Hours(notDisputed.Sum(h => h.Quarters)), actor.UserId, clock.GetUtcNow());
        db.HoursEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return entry;
    }

    /// <summary>The beneficiary structure confirms (the loan's balance drops) or disputes with a reason.</summary>
    public async Task DecideAsync(Actor actor, DecideHours command, CancellationToken cancellationToken = default)
    {
        await decideValidator.ValidateAndThrowAsync(command, cancellationToken);
        if (!actor.Roles.Contains(Roles.Beneficiary) || actor.BeneficiaryId is not { } structureId)
            throw new ForbiddenException("Only the structure that received the hours confirms them.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entry = await db.HoursEntries.SingleOrDefaultAsync(h => h.Id == command.EntryId, cancellationToken)
            ?? throw new DomainException("hours.not_found", "These hours do not exist.");
        if (entry.BeneficiaryId != structureId)
            throw new ForbiddenException("These hours were logged for another structure.");
        var loan = await db.Loans.SingleAsync(l => l.Id == entry.LoanId, cancellationToken);
        if (command.Confirm) loan.ConfirmHours(entry, structureId, actor.UserId, clock.GetUtcNow());
        else loan.DisputeHours(entry, structureId, command.Reason, actor.UserId, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The entrepreneur answers a dispute; the entry goes back to the structure.</summary>
    public async Task AnswerDisputeAsync(Actor actor, long entryId, string reply, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entry = await db.HoursEntries.SingleOrDefaultAsync(h => h.Id == entryId, cancellationToken)
            ?? throw new DomainException("hours.not_found", "These hours do not exist.");
        var loan = await OwnLoanAsync(db, actor, entry.LoanId, cancellationToken);
        loan.AnswerDispute(entry, reply);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<Loan> OwnLoanAsync(PortalDbContext db, Actor actor, int loanId, CancellationToken cancellationToken)
    {
        var loan = await db.Loans.SingleOrDefaultAsync(l => l.Id == loanId, cancellationToken)
            ?? throw new DomainException("loan.not_found", "This loan does not exist.");
        if (!actor.Roles.Contains(Roles.Entrepreneur) || actor.ProjectId != loan.ProjectId)
            throw new ForbiddenException("Only the project's entrepreneur logs hours on its loan.");
        return loan;
    }
}
