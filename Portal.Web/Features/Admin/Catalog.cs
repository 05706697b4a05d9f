using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Networks;
using Portal.Domain.Projects;
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
    }
}

/// <summary>Staff manage the association's catalogue (networks, places, projects, structures), accounts and campaigns.</summary>
public sealed class Catalog(IDbContextFactory<PortalDbContext> dbFactory, IValidator<NamedInput> validator, IValidator<CampaignInput> campaignValidator,
    CampaignLifecycle lifecycle, IServiceScopeFactory scopes)
{
    public Task AddNetworkAsync(Actor actor, NamedInput input) => AddAsync(actor, input, i => new Network(i.Name, i.Sector, i.Place));
    public Task AddEstablishmentAsync(Actor actor, NamedInput input) => AddAsync(actor, input, i => new Establishment(i.ParentId, i.Name, i.Place));
    public Task AddStructureAsync(Actor actor, NamedInput input) => AddAsync(actor, input, i => new BeneficiaryStructure(i.Name, i.Place, string.IsNullOrWhiteSpace(i.Text) ? i.Place : i.Text));
    public Task AddProjectAsync(Actor actor, NamedInput input) => AddAsync(actor, input, i =>
        new Project(i.Name, i.Place, string.IsNullOrWhiteSpace(i.Text) ? i.Place : i.Text, i.Place, i.Sector, Money.FromEuros(i.Amount ?? 0)));

    public async Task<int> CreateCampaignAsync(Actor actor, CampaignInput input, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        await campaignValidator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var network = await db.Networks.SingleAsync(n => n.Id == input.NetworkId, ct);
        var ids = input.ProjectIds.Distinct().ToList();
        var projects = await db.Projects.Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Requested }).ToListAsync(ct);
        var draft = Campaign.Draft(input.Name, network.Id, network.Sector, new DateTimeOffset(input.StartsOn!.Value), new DateTimeOffset(input.EndsOn!.Value.AddDays(1).AddSeconds(-1)),
            Money.FromEuros(input.Target!.Value), [.. projects.Select(p => (p.Id, p.Requested))], input.Rule, input.LiveVotes,
            solidonMinimum: Money.FromEuros(input.SolidonMinimum!.Value), solidonMaximum: Money.FromEuros(input.SolidonMaximum!.Value));
        return await lifecycle.CreateAsync(actor, draft, ct);
    }

    /// <summary>Gives an account a role and, for merchants, entrepreneurs and structures, what it speaks for.</summary>
    public async Task AssignAsync(Actor actor, string email, string role, int? tieId, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        if (!Roles.All.Contains(role)) throw new DomainException("user.role", "Unknown role.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email.Trim()) ?? throw new DomainException("user.not_found", "No account has this e-mail address.");
        if (role == Roles.Entrepreneur) user.ProjectId = tieId ?? throw new DomainException("user.tie", "Choose the project.");
        if (role == Roles.Beneficiary) user.BeneficiaryId = tieId ?? throw new DomainException("user.tie", "Choose the structure.");
        await users.UpdateAsync(user);
        if (!await users.IsInRoleAsync(user, role)) await users.AddToRoleAsync(user, role);
        if (role == Roles.Merchant && tieId is { } establishment)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (!await db.EstablishmentMembers.AnyAsync(m => m.UserId == user.Id && m.EstablishmentId == establishment, ct))
            {
                db.EstablishmentMembers.Add(new EstablishmentMember { UserId = user.Id, EstablishmentId = establishment });
                await db.SaveChangesAsync(ct);
            }
        }
        // The account's session picks the new role up at its next sign-in; the server reads roles from the database at each action already.
        await users.UpdateSecurityStampAsync(user);
    }

    private async Task AddAsync<T>(Actor actor, NamedInput input, Func<NamedInput, T> create) where T : class
    {
        actor.RequireAdmin();
        await validator.ValidateAndThrowAsync(input);
        await using var db = await dbFactory.CreateDbContextAsync();
        db.Add(create(input));
        try { await db.SaveChangesAsync(); }
        catch (DbUpdateException) { throw new DomainException("catalog.duplicate", "This name is already used."); }
    }
}
