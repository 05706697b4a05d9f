using System.Net;
using FluentValidation;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Web.Components.Account;

namespace Portal.Web.Features.Tickets;

/// <summary>What a ticket's holder sees: public facts only, nothing about any person.</summary>
public sealed record TicketView(long Id, string Code, int CampaignId, string CampaignSlug, string CampaignName, CampaignStatus Status,
    bool AcceptsTickets, int EstablishmentId, string Place, DateTimeOffset? CollectedAt, DateTimeOffset MintedAt, int? VotedProjectId);

/// <summary>
/// Ticket codes from addresses that keep sending unknown ones are refused for a while: 75 random bits make a sweep
/// hopeless, and this keeps it from even being tried at speed. Only misses spend the budget, so a restaurant's
/// customers behind one Wi-Fi address are never refused for scanning their own tickets. Per node.
/// </summary>
public sealed class TicketThrottle(IConfiguration configuration) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _misses = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = configuration.GetValue("Tickets:MissesPerQuarterHourPerAddress", 20), Window = TimeSpan.FromMinutes(15),
            SegmentsPerWindow = 5, QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>Whether the address may look a code up (it has misses left), without spending one.</summary>
    public bool MayLookUp(IPAddress? address)
    {
        using var lease = _misses.AttemptAcquire(SignInGuard.AddressKey(address), 0);
        return lease.IsAcquired;
    }

    public void Missed(IPAddress? address) => _misses.AttemptAcquire(SignInGuard.AddressKey(address)).Dispose();

    // Votes and moves from one address: a whole restaurant behind one Wi-Fi votes in a minute, a script flipping one
    // ticket's vote in a loop does not.
    private readonly PartitionedRateLimiter<string> _votes = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = configuration.GetValue("Tickets:VotesPerMinutePerAddress", 60), Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6, QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>Whether the address may cast or move one more vote now; spends one.</summary>
    public bool MayVote(IPAddress? address)
    {
        using var lease = _votes.AttemptAcquire(SignInGuard.AddressKey(address));
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _misses.Dispose();
        _votes.Dispose();
    }
}

/// <summary>Finds tickets for their holders, prints sheets for merchants, counts them for the staff.</summary>
public sealed class TicketDesk(IDbContextFactory<PortalDbContext> dbFactory, TicketThrottle throttle, TimeProvider clock)
{
    public bool MayVote(IPAddress? address) => throttle.MayVote(address);

    /// <summary>The ticket behind <paramref name="input"/> as typed or scanned, or why there is none ("ticket.*").</summary>
    public async Task<(TicketView? Ticket, string? Refusal)> FindAsync(string? input, IPAddress? address, CancellationToken cancellationToken = default)
    {
        if (!throttle.MayLookUp(address)) return (null, "ticket.throttled");
        var code = TicketCode.Normalize(input);
        if (code is null)
        {
            throttle.Missed(address);
            return (null, "ticket.malformed");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await (
            from t in db.VoteTickets.AsNoTracking()
            where t.Code == code
            join c in db.Campaigns.IgnoreAutoIncludes() on t.CampaignId equals c.Id
            join e in db.Establishments on t.EstablishmentId equals e.Id
            select new TicketView(t.Id, t.Code, c.Id, c.Slug, c.Name, c.Status, c.Voters != VoterRule.Accounts, e.Id, e.Name, t.CollectedAt, t.MintedAt,
                db.Votes.Where(v => v.TicketId == t.Id).Select(v => (int?)v.ProjectId).FirstOrDefault())).SingleOrDefaultAsync(cancellationToken);
        if (ticket is null) throttle.Missed(address);
        return ticket is null ? (null, "ticket.unknown") : (ticket, null);
    }

    /// <summary>
    /// The status of a refused lookup, with the page's own message rather than the site's generic error page. An
    /// unknown code is a 400 like a malformed one: Blazor's static rendering drops a page's body on a 404 (it renders
    /// its not-found page instead), and the holder needs to read why the code did not work.
    /// </summary>
    public static void Refuse(HttpContext http, string refusal) =>
        Answer(http, refusal == "ticket.throttled" ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest);

    public static void Answer(HttpContext http, int status)
    {
        http.Response.StatusCode = status;
        if (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
    }

    /// <summary>
    /// A sheet of <paramref name="count"/> ticket cards for a merchant's place, minted through the one writer; refused
    /// for a place the actor does not run or a campaign of another network.
    /// </summary>
    public async Task<IReadOnlyList<string>> PrintAsync(Actor actor, int campaignId, int establishmentId, int count, CancellationToken cancellationToken = default)
    {
        if (!actor.IsAdmin && !(actor.Roles.Contains(Roles.Merchant) && actor.EstablishmentIds.Contains(establishmentId)))
            throw new ForbiddenException("Only the place's merchants print its tickets.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        IReadOnlyList<string> codes = [];
        await db.InTransactionAsync(async ct =>
        {
            var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId, ct)
                ?? throw new DomainException("campaign.not_found", "This campaign does not exist.");
            var network = await db.Establishments.Where(e => e.Id == establishmentId && e.ArchivedAt == null).Select(e => (int?)e.NetworkId).SingleOrDefaultAsync(ct);
            if (network != campaign.NetworkId)
                throw new DomainException("donation.other_network", "This establishment does not collect for this campaign.");
            var printed = await db.VoteTickets.CountAsync(t => t.CampaignId == campaignId && t.EstablishmentId == establishmentId && t.Source == TicketSource.Sheet, ct);
            var solidons = await db.EstablishmentTallies.Where(t => t.CampaignId == campaignId && t.EstablishmentId == establishmentId)
                .Select(t => (long?)t.Solidons).SingleOrDefaultAsync(ct) ?? 0;
            var change = campaign.PrintTickets(establishmentId, count, printed, solidons, clock.GetUtcNow());
            await db.ApplyAsync(change, ct);
            codes = [.. change.Tickets.Select(t => t.Code)];
        }, cancellationToken);
        return codes;
    }

    /// <summary>Per place of a campaign: tickets minted, of which handed with a bill by the till, and used to vote.</summary>
    public async Task<IReadOnlyDictionary<int, TicketCounts>> CountsAsync(int campaignId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.VoteTickets.Where(t => t.CampaignId == campaignId).GroupBy(t => t.EstablishmentId)
            .Select(g => new { g.Key, Minted = g.Count(), OnReceipts = g.Count(t => t.Source == TicketSource.Receipt), Used = g.Count(t => t.UsedAt != null) })
            .ToDictionaryAsync(x => x.Key, x => new TicketCounts(x.Minted, x.OnReceipts, x.Used), cancellationToken);
    }
}

/// <summary>The ticket page's one field: the project chosen.</summary>
public sealed class TicketVoteInput
{
    public int? ProjectId { get; set; }
}

public sealed class TicketVoteInputValidator : AbstractValidator<TicketVoteInput>
{
    public TicketVoteInputValidator(Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> L) =>
        RuleFor(x => x.ProjectId).NotNull().WithMessage(_ => L["Val.ProjectRequired"]);
}

/// <summary>A sheet's size as typed: kept as text, so that nothing but a whole number the merchant wrote is printed.</summary>
public sealed class TicketSheetInput
{
    public string Count { get; set; } = "8";
}

public sealed class TicketSheetInputValidator : AbstractValidator<TicketSheetInput>
{
    public TicketSheetInputValidator(Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> L) =>
        RuleFor(x => x.Count).Must(c => int.TryParse(c, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                && n is >= 1 and <= Campaign.MaxTicketsPerEntry)
            .WithMessage(_ => L["Val.SheetCount"]);
}

public readonly record struct TicketCounts(int Minted, int OnReceipts, int Used);
