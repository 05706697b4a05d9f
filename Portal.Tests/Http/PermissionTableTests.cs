using Microsoft.EntityFrameworkCore;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Loans;
using Portal.Tests.Support;
using Portal.Web.Features;
using Portal.Web.Features.Campaigns;
using Portal.Web.Features.Community;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Loans;
using Portal.Web.Features.Votes;
using Portal.Web.Features.Gatherings;
using Portal.Domain.Community;

namespace Portal.Tests.Http;

/// <summary>
/// Role x action -> allowed or refused, through the same services the Blazor handlers and the API call: the server
/// decides, whatever a tampered page sends.
/// </summary>
public class PermissionTableTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    private static readonly string[] People = ["admin", "merchant", "entrepreneur", "otherEntrepreneur", "structure", "otherStructure", "contributor", "organiser"];

    private static readonly Dictionary<string, string[]> AllowedBy = new()
    {
        ["log a donation for establishment A"] = ["admin", "merchant"],
        ["vote"] = ["admin", "contributor"],
        ["close the campaign"] = ["admin"],
        ["post news on project A"] = ["entrepreneur"],
        ["log hours on project A's loan"] = ["entrepreneur"],
        ["confirm hours given to structure S"] = ["structure"],
        ["dispute hours given to structure S"] = ["structure"],
        ["answer a message on project A"] = ["entrepreneur"],
        ["reschedule project A's loan"] = ["admin"],
        ["record a cash repayment"] = ["admin"],
        ["disburse a campaign"] = ["admin"],
        ["see every loan"] = ["admin"],
        ["create a group"] = ["admin", "organiser"],
        ["approve a request to join group G"] = ["admin", "organiser"],
        ["post in group G"] = ["organiser"],
        ["host an event of group G"] = ["admin", "organiser"],
        ["host an event of project A"] = ["admin", "entrepreneur"],
        ["call off group G's event"] = ["admin", "organiser"],
    };

    public static TheoryData<string, string, bool> Table()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (action, allowed) in AllowedBy)
            foreach (var person in People)
                data.Add(action, person, allowed.Contains(person));
        return data;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Who_may_do_what(string action, string person, bool allowed)
    {
        var s = await SceneAsync();
        var actor = s.People[person];
        Func<Task> act = action switch
        {
            "log a donation for establishment A" => () => app.Get<DonationLedger>().LogAsync(actor,
                new LogDonation { CampaignId = s.World.CampaignId, EstablishmentId = s.World.EstablishmentA, Amount = 1, Solidons = 1 }),
            "vote" => () => app.Get<VoteService>().CastAsync(actor, new CastVote(s.World.CampaignId, s.World.ProjectA, null)),
            "close the campaign" => () => app.Get<CampaignLifecycle>().CloseAsync(actor, s.World.CampaignId, 1),
            "post news on project A" => () => app.Get<CommunityService>().PostNewsAsync(actor, new PostNews { ProjectId = s.NewsProject, Title = "Titre", Markdown = "Texte" }),
            "log hours on project A's loan" => () => app.Get<LoanService>().LogHoursAsync(actor,
                new LogHours { LoanId = s.LoanId, CommitmentId = s.CommitmentId, WorkedOn = DateTime.Today, Hours = 1, Description = "Atelier" }),
            "confirm hours given to structure S" => () => app.Get<LoanService>().DecideAsync(actor, new DecideHours { EntryId = s.EntryId, Confirm = true }),
            "dispute hours given to structure S" => () => app.Get<LoanService>().DecideAsync(actor, new DecideHours { EntryId = s.EntryId, Confirm = false, Reason = "Pas ce jour-là" }),
            "answer a message on project A" => () => app.Get<CommunityService>().ReplyAsync(actor, s.People["contributor"].UserId, "Merci pour votre message"),
            "reschedule project A's loan" => () => app.Get<LoanAdministration>().RescheduleAsync(actor, s.LoanId, s.LoanVersion, 2, "Accord du comité"),
            "record a cash repayment" => () => app.Get<LoanAdministration>().RecordCashAsync(actor, s.LoanId, s.LoanVersion, 10, DateOnly.FromDateTime(DateTime.Today)),
            "disburse a campaign" => () => app.Get<CampaignLifecycle>().DisburseAsync(actor, s.AllocatedCampaignId, s.AllocatedVersion, DateOnly.FromDateTime(DateTime.Today)),
            "see every loan" => () => app.Get<LoanQueries>().ForStaffAsync(actor),
            "create a group" => () => app.Get<GroupService>().CreateAsync(actor, new CreateGroup { Name = $"Groupe {Guid.NewGuid():N}", Summary = "Voisins" }),
            "approve a request to join group G" => () => app.Get<GroupService>().ApproveAsync(actor, s.GroupId, s.People["contributor"].UserId),
            "post in group G" => () => app.Get<GroupService>().PostAsync(actor, new PostInGroup { GroupId = s.GroupId, Markdown = "Bonjour" }),
            "host an event of group G" => () => app.Get<EventService>().CreateAsync(actor, Workshop(EventHost.Group, s.GroupId)),
            "host an event of project A" => () => app.Get<EventService>().CreateAsync(actor, Workshop(EventHost.Project, s.NewsProject)),
            "call off group G's event" => () => app.Get<EventService>().CallOffAsync(actor, s.EventId),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };

        if (allowed) await act();
        else await Assert.ThrowsAsync<ForbiddenException>(act);
    }

    private sealed record Scene(TestWorld World, int NewsProject, Dictionary<string, Actor> People, int LoanId, int LoanVersion, int CommitmentId, long EntryId,
        int AllocatedCampaignId, int AllocatedVersion, int GroupId, int EventId);

    private static EventInput Workshop(EventHost host, int hostId) => new()
    {
        Host = host, HostId = hostId, Title = "Atelier", Day = DateTime.Today.AddDays(30).ToString("yyyy-MM-dd"), Starts = "18:00", Ends = "20:00", Place = "Lyon",
    };

    private async Task<Scene> SceneAsync()
    {
        // A past campaign gives project A a loan with an hours entry pending at structure S; the world's own campaign stays open.
        var past = await TestWorld.CreateAsync(app, AllocationRule.WinnerTakesAll);
        await app.Get<DonationLedger>().LogAsync(past.MerchantA, new LogDonation { CampaignId = past.CampaignId, EstablishmentId = past.EstablishmentA, Amount = 100, Solidons = 50 });
        var w = await TestWorld.CreateAsync(app);
        var tag = Guid.NewGuid().ToString("N")[..8];
        int structure, other;
        await using (var db = app.CreateDbContext())
        {
            var s = new Portal.Domain.Projects.BeneficiaryStructure($"S {tag}", "Lyon", "Mission");
            var o = new Portal.Domain.Projects.BeneficiaryStructure($"O {tag}", "Lyon", "Mission");
            db.AddRange(s, o);
            await db.SaveChangesAsync();
            (structure, other) = (s.Id, o.Id);
        }
        var contributor = await w.ContributorAsync(app);
        await app.Get<VoteService>().CastAsync(contributor, new CastVote(past.CampaignId, past.ProjectA, null));
        var lifecycle = app.Get<CampaignLifecycle>();
        await lifecycle.CloseAsync(past.Admin, past.CampaignId, 1);
        await lifecycle.AllocateAsync(past.Admin, past.CampaignId, 2);
        var loanId = (await app.Get<CampaignLifecycle>().DisburseAsync(past.Admin, past.CampaignId, 3, DateOnly.FromDateTime(DateTime.Today).AddDays(-10))).Single();
        int commitmentId, loanVersion;
        await using (var db = app.CreateDbContext())
        {
            var loan = await db.Loans.SingleAsync(l => l.Id == loanId);
            var half = Money.FromEuros(50);
            loan.SetPlan(half, HourlyRate.Of(10), [new Installment(loan.DisbursedOn.AddMonths(3), InstallmentKind.Cash, half),
                new Installment(loan.DisbursedOn.AddMonths(6), InstallmentKind.Hours, loan.Principal - half)], "staff", DateTimeOffset.UtcNow);
            loan.Commit(structure, "Cuisine", loan.HoursPledgedTotal);
            await db.SaveChangesAsync();
            (commitmentId, loanVersion) = (loan.Commitments.Single().Id, loan.Version);
        }
        // A second campaign waits, allocated, for its loans to be disbursed.
        var pending = await TestWorld.CreateAsync(app, AllocationRule.WinnerTakesAll);
        await app.Get<DonationLedger>().LogAsync(pending.MerchantA, new LogDonation { CampaignId = pending.CampaignId, EstablishmentId = pending.EstablishmentA, Amount = 10, Solidons = 5 });
        await app.Get<VoteService>().CastAsync(await pending.ContributorAsync(app), new CastVote(pending.CampaignId, pending.ProjectB, null));
        await lifecycle.CloseAsync(pending.Admin, pending.CampaignId, 1);
        await lifecycle.AllocateAsync(pending.Admin, pending.CampaignId, 2);
        var entrepreneur = await TestWorld.UserAsync(app, $"e-{tag}@t.fr", Roles.Entrepreneur, projectId: past.ProjectA);
        var entry = await app.Get<LoanService>().LogHoursAsync(entrepreneur,
            new LogHours { LoanId = loanId, CommitmentId = commitmentId, WorkedOn = DateTime.Today, Hours = 2, Description = "Atelier" });
        await app.Get<CommunityService>().SendMessageAsync(contributor, new PostText { ProjectId = past.ProjectA, Text = "Bonjour !" });

        var people = new Dictionary<string, Actor>
        {
            ["admin"] = await TestWorld.UserAsync(app, $"a-{tag}@t.fr", Roles.Admin),
            ["merchant"] = w.MerchantA,
            ["entrepreneur"] = entrepreneur,
            ["otherEntrepreneur"] = await TestWorld.UserAsync(app, $"x-{tag}@t.fr", Roles.Entrepreneur, projectId: past.ProjectB),
            ["structure"] = await TestWorld.UserAsync(app, $"s-{tag}@t.fr", Roles.Beneficiary, beneficiaryId: structure),
            ["otherStructure"] = await TestWorld.UserAsync(app, $"o-{tag}@t.fr", Roles.Beneficiary, beneficiaryId: other),
            ["contributor"] = contributor,
            ["organiser"] = await TestWorld.UserAsync(app, $"g-{tag}@t.fr", Roles.Organiser),
        };
        // Group G, by approval, created and managed by the organiser; the contributor has asked to join; one event ahead.
        var group = await app.Get<GroupService>().CreateAsync(people["organiser"], new CreateGroup { Name = $"G {tag}", Summary = "Voisins", Policy = Portal.Domain.Community.GroupJoinPolicy.Approval });
        await app.Get<GroupService>().JoinAsync(contributor, group.Id);
        var gathering = await app.Get<EventService>().CreateAsync(people["organiser"], Workshop(EventHost.Group, group.Id));
        return new Scene(w, past.ProjectA, people, loanId, loanVersion, commitmentId, entry.Id, pending.CampaignId, 3, group.Id, gathering.Id);
    }
}
