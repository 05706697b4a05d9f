using System.Globalization;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Networks;
using Portal.Domain.Projects;
using Portal.Web.Features.Api;
using Portal.Web.Features.Campaigns;

namespace Portal.Web.Features.Admin;

public sealed class NamedInput
{
    public string Name { get; set; } = "";
    public string Place { get; set; } = "";
    public string Text { get; set; } = "";
    public int ParentId { get; set; }
    public Sector Sector { get; set; }
    public decimal? Amount { get; set; }
}

public sealed class NamedInputValidator : AbstractValidator<NamedInput>
{
    public NamedInputValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage(_ => L["Val.NameRequired"]).MaximumLength(120).WithMessage(_ => L["Val.TitleTooLong"]);
        RuleFor(x => x.Place).NotEmpty().WithMessage(_ => L["Val.PlaceRequired"]).MaximumLength(200);
        RuleFor(x => x.Text).MaximumLength(8000);
        RuleFor(x => x.Amount).GreaterThan(0).When(x => x.Amount is not null).WithMessage(_ => L["Val.AmountPositive"]);
    }
}

public sealed class CampaignInput
{
    public string Name { get; set; } = "";
    public int NetworkId { get; set; }
    public DateTime? StartsOn { get; set; }
    public DateTime? EndsOn { get; set; }
    public decimal? Target { get; set; }
    /// <summary>The range of an entry's average solidon; prefilled with the defaults.</summary>
    public decimal? SolidonMinimum { get; set; } = Campaign.DefaultSolidonMinimum.Euros;
    public decimal? SolidonMaximum { get; set; } = Campaign.DefaultSolidonMaximum.Euros;
    public IReadOnlyCollection<int> ProjectIds { get; set; } = [];
    public AllocationRule Rule { get; set; } = AllocationRule.ProportionalToVotes;
    public bool LiveVotes { get; set; } = true;
    public VoterRule Voters { get; set; } = VoterRule.AccountsAndTickets;
}

public sealed class CampaignInputValidator : AbstractValidator<CampaignInput>
{
    public CampaignInputValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage(_ => L["Val.NameRequired"]).MaximumLength(120);
        RuleFor(x => x.NetworkId).GreaterThan(0).WithMessage(_ => L["Val.NetworkRequired"]);
        RuleFor(x => x.StartsOn).NotNull().WithMessage(_ => L["Val.DateRequired"]);
        RuleFor(x => x.EndsOn).NotNull().WithMessage(_ => L["Val.DateRequired"]).GreaterThan(x => x.StartsOn).WithMessage(_ => L["Err.campaign.period"]);
        RuleFor(x => x.Target).NotNull().WithMessage(_ => L["Val.AmountRequired"]).GreaterThan(0).WithMessage(_ => L["Val.AmountPositive"]);
        RuleFor(x => x.SolidonMinimum).NotNull().WithMessage(_ => L["Val.AmountRequired"]).GreaterThan(0).WithMessage(_ => L["Val.AmountPositive"])
            .PrecisionScale(9, 2, ignoreTrailingZeros: true).WithMessage(_ => L["Val.AmountCents"]);
        RuleFor(x => x.SolidonMaximum).NotNull().WithMessage(_ => L["Val.AmountRequired"])
            .GreaterThanOrEqualTo(x => x.SolidonMinimum ?? 0).WithMessage(_ => L["Val.SolidonRange"]).LessThanOrEqualTo(10_000).WithMessage(_ => L["Val.AmountTooLarge"])
            .PrecisionScale(9, 2, ignoreTrailingZeros: true).WithMessage(_ => L["Val.AmountCents"]);
        RuleFor(x => x.ProjectIds).Must(p => p.Distinct().Count() >= 2).WithMessage(_ => L["Err.campaign.candidates"]);
        RuleFor(x => x.Voters).IsInEnum().WithMessage(_ => L["Err.campaign.voters"]);
    }
}

public enum CatalogKind { Network, Establishment, Project, Structure }

/// <summary>One line of a catalogue list, with what its edit form starts from.</summary>
public sealed record CatalogRow(int Id, string Name, string Slug, string Detail, string? Parent, bool Archived, NamedInput Values)
{
    public bool Matches(string? search) => StaffSearch.Matches(search, Name, Detail, Parent);
}

public sealed record CampaignRow(int Id, string Name, string Slug, string Network, CampaignStatus Status, DateTimeOffset StartsAt, DateTimeOffset EndsAt, Money Collected,
    int Version, CampaignInput Values)
{
    public bool Matches(string? search) => StaffSearch.Matches(search, Name, Network);
}

public static class StaffSearch
{
    private static readonly CompareInfo French = CultureInfo.GetCultureInfo("fr-FR").CompareInfo;

    /// <summary>Staff type "ecole" for "École": the search ignores case and accents.</summary>
    public static bool Matches(string? search, params ReadOnlySpan<string?> texts)
    {
        if (string.IsNullOrWhiteSpace(search)) return true;
        foreach (var text in texts)
            if (text is not null && French.IndexOf(text, search.Trim(), CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace) >= 0) return true;
        return false;
    }
}

/// <summary>Staff manage the association's catalogue (networks, places, projects, structures) and create campaigns.</summary>
public sealed class Catalog(IDbContextFactory<PortalDbContext> dbFactory, IValidator<NamedInput> validator, IValidator<CampaignInput> campaignValidator,
    CampaignLifecycle lifecycle, ApiKeyCache keyCache, TimeProvider clock)
{
    public async Task AddAsync(Actor actor, CatalogKind kind, NamedInput input, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        await validator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Add(kind switch
        {
            CatalogKind.Network => (CatalogItem)new Network(input.Name, input.Sector, input.Place),
            CatalogKind.Establishment => new Establishment((await OpenAsync(db, CatalogKind.Network, input.ParentId, ct)).Id, input.Name, input.Place),
            CatalogKind.Project => new Project(input.Name, input.Place, Or(input.Text, input.Place), input.Place, input.Sector, Money.FromEuros(input.Amount ?? 0)),
            CatalogKind.Structure => new BeneficiaryStructure(input.Name, input.Place, Or(input.Text, input.Place)),
            _ => throw new DomainException("catalog.kind", "Unknown kind."),
        });
        await SaveAsync(db, ct);
    }

    /// <summary>Everything of one kind, archived included (marked): a catalogue is small, and the page searches it in memory.</summary>
    public async Task<IReadOnlyList<CatalogRow>> ListAsync(Actor actor, CatalogKind kind, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var networks = await db.Networks.AsNoTracking().ToDictionaryAsync(n => n.Id, n => n.Name, ct);
        IEnumerable<CatalogRow> rows = kind switch
        {
            CatalogKind.Network => (await db.Networks.AsNoTracking().ToListAsync(ct)).Select(n =>
                new CatalogRow(n.Id, n.Name, n.Slug, n.City, null, n.IsArchived, new NamedInput { Name = n.Name, Place = n.City, Sector = n.Sector })),
            CatalogKind.Establishment => (await db.Establishments.AsNoTracking().ToListAsync(ct)).Select(e =>
                new CatalogRow(e.Id, e.Name, e.Slug, e.Address, networks[e.NetworkId], e.IsArchived, new NamedInput { Name = e.Name, Place = e.Address, ParentId = e.NetworkId })),
            CatalogKind.Project => (await db.Projects.AsNoTracking().ToListAsync(ct)).Select(p =>
                new CatalogRow(p.Id, p.Name, p.Slug, p.Summary, null, p.IsArchived,
                    new NamedInput { Name = p.Name, Place = p.Summary, Text = p.Story, Sector = p.Sector, Amount = p.Requested.Euros })),
            CatalogKind.Structure => (await db.Beneficiaries.AsNoTracking().ToListAsync(ct)).Select(s =>
                new CatalogRow(s.Id, s.Name, s.Slug, s.City, null, s.IsArchived, new NamedInput { Name = s.Name, Place = s.City, Text = s.Mission })),
            _ => throw new DomainException("catalog.kind", "Unknown kind."),
        };
        return [.. rows.OrderBy(r => r.Archived).ThenBy(r => r.Name, StringComparer.Create(CultureInfo.GetCultureInfo("fr-FR"), true))];
    }

    /// <summary>Every campaign, newest first, for the back office's searchable list.</summary>
    public async Task<IReadOnlyList<CampaignRow>> CampaignsAsync(Actor actor, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var networks = await db.Networks.AsNoTracking().ToDictionaryAsync(n => n.Id, n => n.Name, ct);
        var campaigns = await db.Campaigns.AsNoTracking().OrderByDescending(c => c.StartsAt).ToListAsync(ct);
        return [.. campaigns.Select(c => new CampaignRow(c.Id, c.Name, c.Slug, networks[c.NetworkId], c.Status, c.StartsAt, c.EndsAt, c.Collected, c.Version, new CampaignInput
        {
            Name = c.Name, NetworkId = c.NetworkId, StartsOn = c.StartsAt.LocalDateTime.Date, EndsOn = c.EndsAt.LocalDateTime.Date, Target = c.Target.Euros,
            SolidonMinimum = c.SolidonMinimum.Euros, SolidonMaximum = c.SolidonMaximum.Euros, ProjectIds = [.. c.Candidates.Select(x => x.ProjectId)],
            Rule = c.Rule, LiveVotes = c.LiveVotes, Voters = c.Voters,
        }))];
    }

    /// <summary>
    /// Corrects a draft (name, period, target, range, rule): refused once it is open, or when someone changed it since
    /// <paramref name="seenVersion"/>. Its network and candidates are fixed at creation; a form that changes them is refused, not ignored.
    /// </summary>
    public async Task EditCampaignAsync(Actor actor, int campaignId, int seenVersion, CampaignInput input, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        await campaignValidator.ValidateAndThrowAsync(input, ct);
        await lifecycle.EditDraftAsync(actor, campaignId, seenVersion, c =>
        {
            if (c.NetworkId != input.NetworkId || !c.Candidates.Select(x => x.ProjectId).ToHashSet().SetEquals(input.ProjectIds))
                throw new DomainException("campaign.fixed_terms", "A campaign's network and candidates cannot change after it is created.");
            return c.EditDraft(input.Name, new DateTimeOffset(input.StartsOn!.Value), new DateTimeOffset(input.EndsOn!.Value.AddDays(1).AddSeconds(-1)), Money.FromEuros(input.Target!.Value),
                Money.FromEuros(input.SolidonMinimum!.Value), Money.FromEuros(input.SolidonMaximum!.Value), input.Rule, input.LiveVotes, input.Voters);
        }, ct);
    }

    /// <summary>Corrects an item; its slug, and so its printed QR codes and links, stay. An establishment keeps its network.</summary>
    public async Task EditAsync(Actor actor, CatalogKind kind, int id, NamedInput input, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        await validator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        switch (await FindAsync(db, kind, id, ct))
        {
            case Network n: n.Edit(input.Name, input.Sector, input.Place); break;
            case Establishment e: e.Edit(input.Name, input.Place); break;
            case Project p: p.Edit(input.Name, input.Place, Or(input.Text, input.Place), p.Needs, input.Sector, Money.FromEuros(input.Amount ?? 0)); break;
            case BeneficiaryStructure s: s.Edit(input.Name, input.Place, Or(input.Text, input.Place)); break;
        }
        await SaveAsync(db, ct);
    }

    /// <summary>
    /// Archives or restores an item. Its history stays: an archived establishment keeps its ledger, which its campaigns
    /// still count, but takes no new entry: its merchants lose it from their workspace and its till keys are revoked.
    /// </summary>
    public async Task SetArchivedAsync(Actor actor, CatalogKind kind, int id, bool archived, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await FindAsync(db, kind, id, ct);
        var now = clock.GetUtcNow();
        if (archived) item.Archive(now); else item.Restore();
        var revoked = new List<ApiKey>();
        if (archived && kind == CatalogKind.Establishment)
        {
            revoked = await db.ApiKeys.Where(k => k.EstablishmentId == id && k.RevokedAt == null).ToListAsync(ct);
            revoked.ForEach(k => k.RevokedAt = now);
        }
        await SaveAsync(db, ct);
        revoked.ForEach(k => keyCache.Forget(k.Prefix));
    }

    public async Task<int> CreateCampaignAsync(Actor actor, CampaignInput input, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        await campaignValidator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var network = (Network)await OpenAsync(db, CatalogKind.Network, input.NetworkId, ct);
        var ids = input.ProjectIds.Distinct().ToList();
        var projects = await db.Projects.Where(p => ids.Contains(p.Id) && p.ArchivedAt == null).Select(p => new { p.Id, p.Requested }).ToListAsync(ct);
        if (projects.Count != ids.Count) throw new DomainException("catalog.archived", "A chosen project does not exist or is archived.");
        var draft = Campaign.Draft(input.Name, network.Id, network.Sector, new DateTimeOffset(input.StartsOn!.Value), new DateTimeOffset(input.EndsOn!.Value.AddDays(1).AddSeconds(-1)),
            Money.FromEuros(input.Target!.Value), [.. projects.Select(p => (p.Id, p.Requested))], input.Rule, input.LiveVotes,
            solidonMinimum: Money.FromEuros(input.SolidonMinimum!.Value), solidonMaximum: Money.FromEuros(input.SolidonMaximum!.Value), voters: input.Voters);
        return await lifecycle.CreateAsync(actor, draft, ct);
    }

    /// <summary>An item that exists and is not archived: what a new campaign, place or tie may use.</summary>
    internal static async Task<CatalogItem> OpenAsync(PortalDbContext db, CatalogKind kind, int id, CancellationToken ct = default)
    {
        var item = await FindAsync(db, kind, id, ct);
        return item.IsArchived ? throw new DomainException("catalog.archived", "This is archived.") : item;
    }

    private static async Task<CatalogItem> FindAsync(PortalDbContext db, CatalogKind kind, int id, CancellationToken ct) => kind switch
    {
        CatalogKind.Network => (CatalogItem?)await db.Networks.FindAsync([id], ct),
        CatalogKind.Establishment => await db.Establishments.FindAsync([id], ct),
        CatalogKind.Project => await db.Projects.FindAsync([id], ct),
        CatalogKind.Structure => await db.Beneficiaries.FindAsync([id], ct),
        _ => null,
    } ?? throw new DomainException("catalog.not_found", "This does not exist.");

    private static async Task SaveAsync(PortalDbContext db, CancellationToken ct)
    {
        // The only constraint these rows can break is their slug's (or name's) uniqueness.
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException) { throw new DomainException("catalog.duplicate", "This name is already used."); }
    }

    private static string Or(string text, string fallback) => string.IsNullOrWhiteSpace(text) ? fallback : text;
}
