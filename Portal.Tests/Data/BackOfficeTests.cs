using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Identity;
using Portal.Domain.Common;
using Portal.Domain.Networks;
using Portal.Tests.Support;
using Portal.Web.Features;
using Portal.Web.Features.Admin;
using Portal.Web.Features.Api;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Merchant;

namespace Portal.Tests.Data;

/// <summary>The back office runs a season: lists, edits, archives, invitations and roles, each checked on the server.</summary>
public partial class BackOfficeTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    private static readonly Uri Portal = new("https://solidons.example/");

    [Fact]
    public async Task Every_back_office_action_refuses_a_merchant_and_writes_nothing()
    {
        var w = await TestWorld.CreateAsync(app);
        var catalog = app.Get<Catalog>();
        var accounts = app.Get<Accounts>();
        var email = $"intrus-{Guid.NewGuid():N}@test.fr";
        var input = new NamedInput { Name = "Réseau pirate", Place = "Lyon" };

        await Assert.ThrowsAsync<ForbiddenException>(() => catalog.AddAsync(w.MerchantA, CatalogKind.Network, input));
        await Assert.ThrowsAsync<ForbiddenException>(() => catalog.EditAsync(w.MerchantA, CatalogKind.Establishment, w.EstablishmentA, new NamedInput { Name = "Renommé", Place = "ici" }));
        await Assert.ThrowsAsync<ForbiddenException>(() => catalog.SetArchivedAsync(w.MerchantA, CatalogKind.Establishment, w.EstablishmentB, true));
        await Assert.ThrowsAsync<ForbiddenException>(() => catalog.ListAsync(w.MerchantA, CatalogKind.Network));
        await Assert.ThrowsAsync<ForbiddenException>(() => accounts.ListAsync(w.MerchantA, null));
        await Assert.ThrowsAsync<ForbiddenException>(() => accounts.InviteAsync(w.MerchantA, new InviteInput { Email = email, Role = Roles.Admin }, Portal));
        await Assert.ThrowsAsync<ForbiddenException>(() => accounts.RemoveRoleAsync(w.MerchantA, w.MerchantB.UserId, Roles.Merchant));

        await using var db = app.CreateDbContext();
        Assert.False(await db.Networks.AnyAsync(n => n.Name == "Réseau pirate"));
        var place = await db.Establishments.SingleAsync(e => e.Id == w.EstablishmentA);
        Assert.StartsWith("Restaurant A", place.Name);
        Assert.False((await db.Establishments.SingleAsync(e => e.Id == w.EstablishmentB)).IsArchived);
        Assert.False(await db.Users.AnyAsync(u => u.Email == email));
        Assert.Contains(Roles.Merchant, (await app.Get<ActorResolver>().ResolveAsync(Principal(w.MerchantB.UserId))).Roles);
    }

    [Fact]
    public async Task An_edit_keeps_the_slug_and_a_blank_name_is_refused_with_a_message_and_changes_nothing()
    {
        TestCulture.UseFrench();
        var w = await TestWorld.CreateAsync(app);
        var catalog = app.Get<Catalog>();
        await using var before = app.CreateDbContext();
        var original = await before.Establishments.AsNoTracking().SingleAsync(e => e.Id == w.EstablishmentA);

        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            catalog.EditAsync(w.Admin, CatalogKind.Establishment, w.EstablishmentA, new NamedInput { Name = "  ", Place = "3 place Bellecour" }));
        await catalog.EditAsync(w.Admin, CatalogKind.Establishment, w.EstablishmentA, new NamedInput { Name = $"Le Bouchon {original.Id}", Place = "3 place Bellecour" });

        Assert.Contains(refused.Errors, e => e.PropertyName == nameof(NamedInput.Name) && e.ErrorMessage.Length > 0);
        await using var after = app.CreateDbContext();
        var edited = await after.Establishments.AsNoTracking().SingleAsync(e => e.Id == w.EstablishmentA);
        Assert.Equal(($"Le Bouchon {original.Id}", "3 place Bellecour", original.Slug, original.NetworkId), (edited.Name, edited.Address, edited.Slug, edited.NetworkId));
        var row = Assert.Single(await catalog.ListAsync(w.Admin, CatalogKind.Establishment), r => r.Id == w.EstablishmentA);
        Assert.True(row.Matches("bouchon") && row.Matches("BELLECOUR") && !row.Matches("Vaise"));
    }

    [Fact]
    public async Task An_archived_place_keeps_its_ledger_but_takes_no_entry_and_leaves_its_merchants_workspace_until_restored()
    {
        var w = await TestWorld.CreateAsync(app);
        var ledger = app.Get<DonationLedger>();
        var catalog = app.Get<Catalog>();
        await ledger.LogAsync(w.MerchantA, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 12.50m, Solidons = 10 });
        var (key, _) = await app.Get<ApiKeyService>().CreateAsync(w.MerchantA, w.EstablishmentA, "Caisse 1");

        await catalog.SetArchivedAsync(w.Admin, CatalogKind.Establishment, w.EstablishmentA, true);

        var merchant = await app.Get<ActorResolver>().ResolveAsync(Principal(w.MerchantA.UserId));
        await Assert.ThrowsAsync<ForbiddenException>(() =>
            ledger.LogAsync(merchant, new LogDonation { CampaignId = w.CampaignId, EstablishmentId = w.EstablishmentA, Amount = 5m, Solidons = 4 }));
        Assert.Empty(await app.Get<MerchantQueries>().PlacesAsync(merchant));
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(1250, (await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == w.CampaignId)).CollectedCents);
            Assert.Single(await db.Donations.AsNoTracking().Where(d => d.EstablishmentId == w.EstablishmentA).ToListAsync());
            Assert.NotNull((await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == key.Id)).RevokedAt);
        }
        Assert.True(Assert.Single(await catalog.ListAsync(w.Admin, CatalogKind.Establishment), r => r.Id == w.EstablishmentA).Archived);
        var twice = await Assert.ThrowsAsync<DomainException>(() => catalog.SetArchivedAsync(w.Admin, CatalogKind.Establishment, w.EstablishmentA, true));
        Assert.Equal("catalog.already_archived", twice.Code);

        await catalog.SetArchivedAsync(w.Admin, CatalogKind.Establishment, w.EstablishmentA, false);
        var restored = await app.Get<ActorResolver>().ResolveAsync(Principal(w.MerchantA.UserId));
        Assert.Equal(w.EstablishmentA, Assert.Single(await app.Get<MerchantQueries>().PlacesAsync(restored)).EstablishmentId);
    }

    [Fact]
    public async Task An_archived_network_or_project_cannot_be_used_by_a_new_campaign_or_place()
    {
        var w = await TestWorld.CreateAsync(app);
        var catalog = app.Get<Catalog>();
        await catalog.SetArchivedAsync(w.Admin, CatalogKind.Project, w.ProjectB, true);
        var campaign = new CampaignInput
        {
            Name = $"Refusée {Guid.NewGuid():N}"[..30], NetworkId = w.NetworkId, StartsOn = DateTime.Today, EndsOn = DateTime.Today.AddDays(10),
            Target = 1_000, ProjectIds = [w.ProjectA, w.ProjectB],
        };

        var archivedProject = await Assert.ThrowsAsync<DomainException>(() => catalog.CreateCampaignAsync(w.Admin, campaign));
        await catalog.SetArchivedAsync(w.Admin, CatalogKind.Network, w.NetworkId, true);
        var archivedNetwork = await Assert.ThrowsAsync<DomainException>(() =>
            catalog.AddAsync(w.Admin, CatalogKind.Establishment, new NamedInput { Name = $"Nouveau {Guid.NewGuid():N}", Place = "Lyon", ParentId = w.NetworkId }));
        var missingNetwork = await Assert.ThrowsAsync<DomainException>(() =>
            catalog.AddAsync(w.Admin, CatalogKind.Establishment, new NamedInput { Name = $"Nulle part {Guid.NewGuid():N}", Place = "Lyon", ParentId = int.MaxValue }));

        Assert.Equal(("catalog.archived", "catalog.archived", "catalog.not_found"), (archivedProject.Code, archivedNetwork.Code, missingNetwork.Code));
        await using var db = app.CreateDbContext();
        Assert.False(await db.Campaigns.AnyAsync(c => c.Name == campaign.Name));
        Assert.Equal(2, await db.Establishments.CountAsync(e => e.NetworkId == w.NetworkId));
    }

    [Fact]
    public async Task An_invitation_creates_the_tied_account_and_mails_a_link_that_sets_its_password_and_inviting_again_adds_nothing()
    {
        TestCulture.UseFrench();
        var w = await TestWorld.CreateAsync(app);
        var accounts = app.Get<Accounts>();
        var email = $"nouveau-{Guid.NewGuid():N}@test.fr";
        var invite = new InviteInput { Email = email, DisplayName = "Chez Nour", Role = Roles.Merchant, TieId = w.EstablishmentB };

        await accounts.InviteAsync(w.Admin, invite, Portal);
        await accounts.InviteAsync(w.Admin, invite, Portal);

        await using var db = app.CreateDbContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
        Assert.Equal(w.EstablishmentB, (await db.EstablishmentMembers.SingleAsync(m => m.UserId == user.Id)).EstablishmentId);
        var mails = await db.OutboxEmails.AsNoTracking().Where(m => m.To == email).OrderBy(m => m.Id).ToListAsync();
        Assert.Equal(2, mails.Count);
        Assert.All(mails, m => Assert.Equal("Votre invitation sur Solidons", m.Subject));
        var link = WebUtility.HtmlDecode(InviteLink().Match(mails[^1].HtmlBody).Value);
        Assert.StartsWith("https://solidons.example/Account/ResetPassword?code=", link);
        var code = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(QueryHelpers.ParseQuery(new Uri(link).Query)["code"]!));

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var account = (await users.FindByEmailAsync(email))!;
        Assert.True((await users.ResetPasswordAsync(account, code, "Bouchon-Lyon-2027")).Succeeded);
        Assert.True(await users.CheckPasswordAsync(account, "Bouchon-Lyon-2027"));
        Assert.Equal(["Merchant"], await users.GetRolesAsync(account));
        var row = Assert.Single(await accounts.ListAsync(w.Admin, email[..12]));
        Assert.Equal((email, "Chez Nour", false), (row.Email, row.DisplayName, row.Invited));
        Assert.Single(row.Ties, t => t.StartsWith("Restaurant B"));
    }

    [Theory]
    [InlineData("pas-une-adresse", Roles.Contributor, false)]
    [InlineData("", Roles.Contributor, false)]
    [InlineData("ok@test.fr", "Pirate", false)]
    [InlineData("ok@test.fr", Roles.Entrepreneur, false)]
    [InlineData("ok@test.fr", Roles.Beneficiary, false)]
    public async Task A_malformed_invitation_is_refused_with_a_message_and_creates_no_account(string email, string role, bool withTie)
    {
        TestCulture.UseFrench();
        var w = await TestWorld.CreateAsync(app);
        var address = email.Replace("ok@", $"ok-{Guid.NewGuid():N}@");
        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            app.Get<Accounts>().InviteAsync(w.Admin, new InviteInput { Email = address, Role = role, TieId = withTie ? 1 : null }, Portal));

        Assert.All(refused.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.ErrorMessage)));
        await using var db = app.CreateDbContext();
        Assert.False(address.Length > 0 && await db.Users.AnyAsync(u => u.Email == address));
    }

    [Fact]
    public async Task An_invitation_tied_to_an_archived_project_is_refused()
    {
        var w = await TestWorld.CreateAsync(app);
        await app.Get<Catalog>().SetArchivedAsync(w.Admin, CatalogKind.Project, w.ProjectA, true);
        var email = $"archive-{Guid.NewGuid():N}@test.fr";

        var refused = await Assert.ThrowsAsync<DomainException>(() => app.Get<Accounts>().InviteAsync(w.Admin,
            new InviteInput { Email = email, Role = Roles.Entrepreneur, TieId = w.ProjectA }, Portal));

        Assert.Equal("catalog.archived", refused.Code);
        await using var db = app.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == email));
    }

    [Fact]
    public async Task Removing_a_role_takes_its_tie_with_it_and_staff_cannot_remove_their_own()
    {
        var w = await TestWorld.CreateAsync(app);
        var accounts = app.Get<Accounts>();
        var entrepreneur = await TestWorld.UserAsync(app, $"e-{Guid.NewGuid():N}@test.fr", Roles.Entrepreneur, projectId: w.ProjectA);

        await accounts.RemoveRoleAsync(w.Admin, entrepreneur.UserId, Roles.Entrepreneur);
        await accounts.RemoveRoleAsync(w.Admin, w.MerchantB.UserId, Roles.Merchant);
        var own = await Assert.ThrowsAsync<DomainException>(() => accounts.RemoveRoleAsync(w.Admin, w.Admin.UserId, Roles.Admin));
        var absent = await Assert.ThrowsAsync<DomainException>(() => accounts.RemoveRoleAsync(w.Admin, w.MerchantB.UserId, Roles.Merchant));

        Assert.Equal(("user.own_admin", "user.not_in_role"), (own.Code, absent.Code));
        var resolver = app.Get<ActorResolver>();
        var formerEntrepreneur = await resolver.ResolveAsync(Principal(entrepreneur.UserId));
        var formerMerchant = await resolver.ResolveAsync(Principal(w.MerchantB.UserId));
        Assert.Equal((0, (int?)null), (formerEntrepreneur.Roles.Count, formerEntrepreneur.ProjectId));
        Assert.Equal((0, 0), (formerMerchant.Roles.Count, formerMerchant.EstablishmentIds.Count));
        Assert.True((await resolver.ResolveAsync(Principal(w.Admin.UserId))).IsAdmin);
    }

    [Fact]
    public async Task A_draft_is_edited_with_its_slug_kept_and_a_stale_an_open_or_a_reshaped_edit_is_refused()
    {
        var w = await TestWorld.CreateAsync(app);
        var catalog = app.Get<Catalog>();
        var name = $"Brouillon {Guid.NewGuid():N}"[..30];
        var input = new CampaignInput
        {
            Name = name, NetworkId = w.NetworkId, StartsOn = DateTime.Today.AddDays(1), EndsOn = DateTime.Today.AddDays(20), Target = 1_000, ProjectIds = [w.ProjectA, w.ProjectB],
        };
        var id = await catalog.CreateCampaignAsync(w.Admin, input);
        var draft = Assert.Single(await catalog.CampaignsAsync(w.Admin), c => c.Id == id);

        var edit = draft.Values;
        edit.Name = name + " bis";
        edit.Target = 2_500;
        edit.EndsOn = DateTime.Today.AddDays(30);
        await catalog.EditCampaignAsync(w.Admin, id, draft.Version, edit);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => catalog.EditCampaignAsync(w.Admin, id, draft.Version, edit));
        var edited = Assert.Single(await catalog.CampaignsAsync(w.Admin), c => c.Id == id);
        var reshaped = await Assert.ThrowsAsync<DomainException>(() => catalog.EditCampaignAsync(w.Admin, id, edited.Version,
            new CampaignInput { Name = name, NetworkId = w.NetworkId, StartsOn = edit.StartsOn, EndsOn = edit.EndsOn, Target = 2_500, ProjectIds = [w.ProjectA, w.ProjectA + w.ProjectB + 1000] }));
        await app.Get<Portal.Web.Features.Campaigns.CampaignLifecycle>().OpenAsync(w.Admin, id, edited.Version);
        var opened = Assert.Single(await catalog.CampaignsAsync(w.Admin), c => c.Id == id);
        var open = await Assert.ThrowsAsync<DomainException>(() => catalog.EditCampaignAsync(w.Admin, id, opened.Version, opened.Values));
        await Assert.ThrowsAsync<ForbiddenException>(() => catalog.EditCampaignAsync(w.MerchantA, id, opened.Version, opened.Values));

        Assert.Equal(("campaign.fixed_terms", "campaign.not_draft"), (reshaped.Code, open.Code));
        Assert.Equal((name + " bis", draft.Slug, 250_000L, DateTime.Today.AddDays(30)), (opened.Name, opened.Slug, (long)(opened.Values.Target!.Value * 100), opened.Values.EndsOn));
    }

    private static System.Security.Claims.ClaimsPrincipal Principal(string userId) => new(new System.Security.Claims.ClaimsIdentity(
        [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, userId)], "test"));

    [GeneratedRegex("https://solidons\\.example/Account/ResetPassword\\?code=[^\"<\\s]+")]
    private static partial Regex InviteLink();
}
