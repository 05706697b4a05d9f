using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Networks;
using Portal.Domain.Projects;
using Portal.Web.Features;
using Portal.Web.Features.Campaigns;

namespace Portal.Tests.Support;

/// <summary>A network with two establishments and their merchants, two projects and an open campaign, made through the real services.</summary>
public sealed record TestWorld(int NetworkId, int CampaignId, int EstablishmentA, int EstablishmentB, int ProjectA, int ProjectB,
    Actor Admin, Actor MerchantA, Actor MerchantB)
{
    public static async Task<TestWorld> CreateAsync(PortalAppFactory app, AllocationRule rule = AllocationRule.ProportionalToVotes)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using var db = app.CreateDbContext();
        var network = new Network($"Réseau {tag}", Sector.Food, "Lyon");
        db.Networks.Add(network);
        await db.SaveChangesAsync();
        var a = new Establishment(network.Id, $"Restaurant A {tag}", "1 rue A, Lyon");
        var b = new Establishment(network.Id, $"Restaurant B {tag}", "2 rue B, Lyon");
        var p1 = new Project($"Projet Un {tag}", "Résumé", "Histoire", "Besoins", Sector.Food, Money.FromEuros(500));
        var p2 = new Project($"Projet Deux {tag}", "Résumé", "Histoire", "Besoins", Sector.Food, Money.FromEuros(800));
        db.AddRange(a, b, p1, p2);
        await db.SaveChangesAsync();

        var admin = await UserAsync(app, $"admin-{tag}@test.fr", Roles.Admin);
        var merchantA = await UserAsync(app, $"a-{tag}@test.fr", Roles.Merchant, a.Id);
        var merchantB = await UserAsync(app, $"b-{tag}@test.fr", Roles.Merchant, b.Id);

        var now = app.Get<TimeProvider>().GetUtcNow();
        var lifecycle = app.Get<CampaignLifecycle>();
        var campaignId = await lifecycle.CreateAsync(admin, Campaign.Draft($"Campagne {tag}", network.Id, Sector.Food, now.AddDays(-5), now.AddDays(20),
            Money.FromEuros(2_000), [(p1.Id, p1.Requested), (p2.Id, p2.Requested)], rule));
        await lifecycle.OpenAsync(admin, campaignId, 0);
        return new TestWorld(network.Id, campaignId, a.Id, b.Id, p1.Id, p2.Id, admin, merchantA, merchantB);
    }

    public static async Task<Actor> UserAsync(PortalAppFactory app, string email, string role, int? establishmentId = null,
        int? projectId = null, int? beneficiaryId = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, DisplayName = email, ProjectId = projectId, BeneficiaryId = beneficiaryId };
        var created = await users.CreateAsync(user);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        if (establishmentId is { } id)
        {
            await using var db = app.CreateDbContext();
            db.EstablishmentMembers.Add(new EstablishmentMember { EstablishmentId = id, UserId = user.Id });
            await db.SaveChangesAsync();
        }
        return await app.Get<ActorResolver>().ResolveAsync(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id)], "test")));
    }

    public Task<Actor> ContributorAsync(PortalAppFactory app) =>
        UserAsync(app, $"c-{Guid.NewGuid():N}@test.fr", Roles.Contributor);
}
