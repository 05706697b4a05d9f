using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Campaigns;
using Portal.Domain.Common;
using Portal.Domain.Community;
using Portal.Domain.Loans;
using Portal.Domain.Networks;
using Portal.Domain.Projects;
using Portal.Web.Features.Campaigns;
using Portal.Web.Features.Donations;
using Portal.Web.Features.Votes;

namespace Portal.Web.Features.Demo;

/// <summary>
/// Demonstration data for Development: the Solidons association in Lyon, its two collector networks, candidate
/// projects, one open campaign per network, a past campaign whose loan is being repaid in hours, and one account per
/// role. Written through the same services as real use, so every total is what the ledger says. Never in Production.
/// </summary>
public sealed class DemoData(
    IDbContextFactory<PortalDbContext> dbFactory,
    UserManager<PortalUser> users,
    CampaignLifecycle lifecycle,
    DonationLedger ledger,
    VoteService votes,
    TimeProvider clock,
    ILogger<DemoData> logger)
{
    public const string Password = "Solidons2026!";
    public const string AdminEmail = "admin@demo.solidons.fr";
    public const string RestaurantEmail = "restaurant@demo.solidons.fr";
    public const string BoutiqueEmail = "boutique@demo.solidons.fr";
    public const string EntrepreneurEmail = "entrepreneur@demo.solidons.fr";
    public const string BeneficiaryEmail = "structure@demo.solidons.fr";
    public const string ContributorEmail = "contributeur@demo.solidons.fr";

    public async Task SeedIfEmptyAsync(CancellationToken cancellationToken = default)
    {
        await using (var check = await dbFactory.CreateDbContextAsync(cancellationToken))
            if (await check.Networks.AnyAsync(cancellationToken)) return;
        logger.LogInformation("Empty database in Development: adding the demonstration data");

        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var restaurants = new Network("Restaurateurs lyonnais", Sector.Food, "Lyon");
        var boutiques = new Network("Boutiques mode et création", Sector.Fashion, "Lyon et alentours");
        db.Networks.AddRange(restaurants, boutiques);
        await db.SaveChangesAsync(cancellationToken);

        Establishment[] restaurantPlaces =
        [
            new(restaurants.Id, "Le Bouchon des Canuts", "12 rue d’Austerlitz, 69004 Lyon"),
            new(restaurants.Id, "La Table de Gerland", "48 avenue Tony Garnier, 69007 Lyon"),
            new(restaurants.Id, "Café des Terreaux", "3 place des Terreaux, 69001 Lyon"),
            new(restaurants.Id, "Brasserie de la Guillotière", "21 cours Gambetta, 69007 Lyon"),
        ];
        Establishment[] boutiquePlaces =
        [
            new(boutiques.Id, "Atelier Soie & Fil", "8 montée de la Grande-Côte, 69001 Lyon"),
            new(boutiques.Id, "Maison des Créateurs", "17 rue Saint-Jean, 69005 Lyon"),
            new(boutiques.Id, "La Friperie Solidaire", "5 rue de la République, 69100 Villeurbanne"),
        ];
        db.Establishments.AddRange([.. restaurantPlaces, .. boutiquePlaces]);

        var fruitDeTerre = new Project("In, le Fruit de Terre",
            "Des paniers de fruits et légumes cultivés en insertion sur les terres maraîchères de l’Est lyonnais.",
            "In, le Fruit de Terre cultive fruits et légumes de saison avec des personnes en parcours d’insertion et les distribue en paniers aux entreprises et aux habitants de la métropole.\n\nLe prêt servira à acheter une chambre froide et un utilitaire électrique pour les livraisons.",
            "Une chambre froide, un utilitaire électrique, des contacts d’entreprises pour les paniers.", Sector.Food, Money.FromEuros(8_000));
        var petitesCantines = new Project("Les Petites Cantines",
            "Des cantines de quartier où l’on cuisine et mange ensemble, à prix libre et conscient.",
            "Les Petites Cantines ouvrent des restaurants de quartier participatifs : chacun peut cuisiner, partager un repas et rencontrer ses voisins, à prix libre.\n\nLe prêt financera l’équipement de la cuisine d’une nouvelle cantine à Gerland.",
            "Équipement de cuisine professionnelle, bénévoles pour les ateliers cuisine.", Sector.Food, Money.FromEuros(10_000));
        var filSolidaire = new Project("Fil Solidaire",
            "Un atelier de couture qui transforme les invendus textiles en collections, avec des couturières en insertion.",
            "Fil Solidaire récupère les invendus des boutiques lyonnaises et les transforme en pièces uniques, cousues par des femmes en retour à l’emploi.\n\nLe prêt servira à acheter deux machines industrielles.",
            "Deux machines à coudre industrielles, un local plus grand.", Sector.Fashion, Money.FromEuros(6_000));
        var retouches = new Project("Retouches & Réemploi",
            "Un service de retouches de quartier qui donne une seconde vie aux vêtements.",
            "Retouches & Réemploi propose des retouches à petit prix et des ateliers pour apprendre à réparer ses vêtements.\n\nLe prêt financera l’aménagement d’une boutique-atelier.",
            "Aménagement d’une boutique-atelier, communication.", Sector.Fashion, Money.FromEuros(5_000));
        db.Projects.AddRange(fruitDeTerre, petitesCantines, filSolidaire, retouches);

        var epicerie = new BeneficiaryStructure("Épicerie solidaire de la Guillotière", "Lyon 7e", "Une épicerie où les familles aux revenus modestes font leurs courses à petit prix.");
        var maisonAssos = new BeneficiaryStructure("Maison des associations de Gerland", "Lyon 7e", "Un lieu de ressources pour les petites associations du quartier.");
        var recyclerie = new BeneficiaryStructure("Recyclerie des Pentes", "Lyon 1er", "Collecte, répare et revend à petit prix les objets du quotidien.");
        db.Beneficiaries.AddRange(epicerie, maisonAssos, recyclerie);
        await db.SaveChangesAsync(cancellationToken);

        var admin = await CreateUserAsync(AdminEmail, "Équipe Solidons", Roles.Admin);
        var restaurateur = await CreateUserAsync(RestaurantEmail, "Claire, Le Bouchon des Canuts", Roles.Merchant);
        var boutiquier = await CreateUserAsync(BoutiqueEmail, "Karim, Atelier Soie & Fil", Roles.Merchant);
        var lea = await CreateUserAsync(EntrepreneurEmail, "Léa, Les Petites Cantines", Roles.Entrepreneur, u => u.ProjectId = petitesCantines.Id);
        await CreateUserAsync(BeneficiaryEmail, "Épicerie solidaire de la Guillotière", Roles.Beneficiary, u => u.BeneficiaryId = epicerie.Id);
        var camille = await CreateUserAsync(ContributorEmail, "Camille", Roles.Contributor);
        db.EstablishmentMembers.AddRange(
            new EstablishmentMember { EstablishmentId = restaurantPlaces[0].Id, UserId = restaurateur.Id },
            new EstablishmentMember { EstablishmentId = boutiquePlaces[0].Id, UserId = boutiquier.Id });
        await db.SaveChangesAsync(cancellationToken);

        var staff = new Actor(admin.Id, new HashSet<string> { Roles.Admin, Roles.Contributor }, [], null, null);
        var voters = new List<Actor>();
        for (var i = 1; i <= 24; i++)
        {
            var voter = await CreateUserAsync($"votant{i}@demo.solidons.fr", $"Votant {i}", Roles.Contributor, password: null);
            voters.Add(new Actor(voter.Id, new HashSet<string> { Roles.Contributor }, [], null, null));
        }

        // A past campaign, now being repaid: gives the loan, hours and transparency pages something true to show.
        var spring = Campaign.Draft("Printemps des restaurateurs", restaurants.Id, Sector.Food, now.AddDays(-240), now.AddDays(-200),
            Money.FromEuros(3_000), [(fruitDeTerre.Id, fruitDeTerre.Requested), (petitesCantines.Id, petitesCantines.Requested)]);
        var springId = await lifecycle.CreateAsync(staff, spring, cancellationToken);
        await lifecycle.OpenAsync(staff, springId, 0, cancellationToken);
        await LogDonationsAsync(staff, springId, restaurantPlaces, now.AddDays(-240), 40, 30, seed: 1, cancellationToken);
        await CastVotesAsync(voters, springId, [fruitDeTerre.Id, petitesCantines.Id, petitesCantines.Id], cancellationToken);
        await lifecycle.CloseAsync(staff, springId, 1, cancellationToken);
        await lifecycle.AllocateAsync(staff, springId, 2, cancellationToken);
        await SeedLoanAsync(db, staff, springId, epicerie.Id, maisonAssos.Id, today, now, cancellationToken);

        var autumn = Campaign.Draft("Automne gourmand solidaire", restaurants.Id, Sector.Food, now.AddDays(-14), now.AddDays(30),
            Money.FromEuros(6_000), [(fruitDeTerre.Id, fruitDeTerre.Requested), (petitesCantines.Id, petitesCantines.Requested)],
            AllocationRule.ProportionalToVotes, liveVotes: true);
        var autumnId = await lifecycle.CreateAsync(staff, autumn, cancellationToken);
        await lifecycle.OpenAsync(staff, autumnId, 0, cancellationToken);
        await LogDonationsAsync(staff, autumnId, restaurantPlaces, now.AddDays(-14), 14, 36, seed: 2, cancellationToken);
        await CastVotesAsync(voters.Take(17).ToList(), autumnId, [fruitDeTerre.Id, petitesCantines.Id], cancellationToken);

        db.News.Add(new ProjectNews(petitesCantines.Id, "La cuisine de Gerland est équipée !",
            "Grâce au prêt de la campagne *Printemps des restaurateurs*, la cuisine de notre nouvelle cantine à Gerland est installée.\n\n" +
            "- un piano de cuisson professionnel\n- une chambre froide\n\nMerci à toutes celles et ceux qui ont ajouté un solidon à leur addition !",
            lea.Id, now.AddDays(-20)));
        db.Follows.Add(new Follow(camille.Id, FollowKind.Project, petitesCantines.Id, now.AddDays(-30)));
        db.Comments.Add(new Comment(petitesCantines.Id, camille.Id, camille.DisplayName, "Bravo ! J’ai hâte de venir cuisiner avec vous.", now.AddDays(-19)));
        await db.SaveChangesAsync(cancellationToken);
        await SeedGatheringsAsync(db, admin, lea, camille, petitesCantines.Id, now, cancellationToken);

        var fashion = Campaign.Draft("Mode et création solidaires", boutiques.Id, Sector.Fashion, now.AddDays(-7), now.AddDays(21),
            Money.FromEuros(4_000), [(filSolidaire.Id, filSolidaire.Requested), (retouches.Id, retouches.Requested)],
            AllocationRule.RankedUpToRequested, liveVotes: false);
        var fashionId = await lifecycle.CreateAsync(staff, fashion, cancellationToken);
        await lifecycle.OpenAsync(staff, fashionId, 0, cancellationToken);
        await LogDonationsAsync(staff, fashionId, boutiquePlaces, now.AddDays(-7), 7, 18, seed: 3, cancellationToken);
        await CastVotesAsync(voters.Skip(10).ToList(), fashionId, [filSolidaire.Id, retouches.Id, filSolidaire.Id], cancellationToken);
    }

    /// <summary>Two groups (one open, one by approval), a post, a skills workshop with seats and a project's open day.</summary>
    private static async Task SeedGatheringsAsync(PortalDbContext db, PortalUser admin, PortalUser lea, PortalUser camille, int projectId,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var skills = new CommunityGroup("Bénévoles de compétences", "Celles et ceux qui donnent des heures de compétences aux structures de l’ESS lyonnaise.",
            "Le groupe des entrepreneurs qui remboursent leur prêt en **heures de bénévolat**, et des structures qui les accueillent.\n\n" +
            "- des ateliers chaque mois\n- les besoins des structures\n- l’entraide entre projets", GroupJoinPolicy.Open, admin.Id, now.AddDays(-60));
        var plateau = new CommunityGroup("Croix-Rousse solidaire", "Commerçants, habitants et projets du plateau de la Croix-Rousse.", "",
            GroupJoinPolicy.Approval, admin.Id, now.AddDays(-50));
        db.Groups.AddRange(skills, plateau);
        await db.SaveChangesAsync(cancellationToken);
        db.GroupMembers.AddRange(skills.FounderMembership(now.AddDays(-60)), plateau.FounderMembership(now.AddDays(-50)),
            skills.Join(lea.Id, null, now.AddDays(-40)), skills.Join(camille.Id, null, now.AddDays(-30)));
        db.GroupProjects.Add(new GroupProject(skills.Id, projectId));
        db.GroupPosts.Add(new GroupPost(skills.Id, lea.Id, lea.DisplayName,
            "Nous cherchons deux personnes pour l’atelier **gestion des stocks** de l’épicerie de la Guillotière. Qui est partant\u202f?", now.AddDays(-3)));
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Components.Shared.Format.Paris).DateTime).AddDays(10).ToString("yyyy-MM-dd");
        var workshop = new CommunityEvent(EventHost.Group, skills.Id, new Gatherings.EventInput
        {
            Title = "Atelier\u00a0: gérer ses stocks en cuisine", Description = "Deux heures pour apprendre à tenir un inventaire, avec Léa des Petites Cantines.",
            Day = day, Starts = "18:30", Ends = "20:30", Place = "Maison des associations, 28 rue Denfert-Rochereau, Lyon 4e", Capacity = "12",
        }.ToDetails(), admin.Id, now);
        workshop.Register(camille.Id, now);
        var openDay = new CommunityEvent(EventHost.Project, projectId, new Gatherings.EventInput
        {
            Title = "Portes ouvertes de la cantine de Gerland", Description = "Venez visiter la cuisine financée par vos solidons.",
            Day = day, Starts = "12:00", Ends = "14:00", Place = "Les Petites Cantines, Gerland, Lyon 7e",
        }.ToDetails(), lea.Id, now);
        db.Events.AddRange(workshop, openDay);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task LogDonationsAsync(Actor staff, int campaignId, Establishment[] places, DateTimeOffset from, int days,
        int count, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var solidons = random.Next(3, 40);
            await ledger.LogAsync(staff, new LogDonation
            {
                CampaignId = campaignId,
                EstablishmentId = places[random.Next(places.Length)].Id,
                Solidons = solidons,
                // A solidon is usually 0,50 € to 2 € added to the bill.
                Amount = solidons * (random.Next(2, 9) * 0.25m),
                Bills = random.Next(2) == 0 ? solidons + random.Next(5, 60) : null,
                CollectedAt = from.AddHours(12 + i * (days * 24.0 - 24) / count),
            }, EntrySource.Batch, cancellationToken);
        }
    }

    private async Task CastVotesAsync(List<Actor> voters, int campaignId, int[] pattern, CancellationToken cancellationToken)
    {
        for (var i = 0; i < voters.Count; i++)
            await votes.CastAsync(voters[i], new CastVote(campaignId, pattern[i % pattern.Length], null), cancellationToken);
    }

    private async Task SeedLoanAsync(PortalDbContext db, Actor staff, int campaignId, int firstStructure, int secondStructure,
        DateOnly today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var staffId = staff.UserId;
        var disbursedOn = today.AddDays(-190);
        // The spring campaign's winner takes the pot: one loan.
        var loanId = (await lifecycle.DisburseAsync(staff, campaignId, 3, disbursedOn, cancellationToken)).Single();
        var loan = await db.Loans.SingleAsync(l => l.Id == loanId, cancellationToken);
        // Half in cash, half in hours at 20 € an hour; the hours share is rounded to whole quarter hours, the rest is cash.
        var rate = HourlyRate.Of(20);
        var hoursShare = new Money(loan.Principal.Cents / 2 / (rate.Euros * 25L) * (rate.Euros * 25L));
        var cashShare = loan.Principal - hoursShare;
        var cashInstallment = new Money(cashShare.Cents / 4);
        List<Installment> schedule = [.. Enumerable.Range(1, 3).Select(q => new Installment(disbursedOn.AddMonths(q * 3), InstallmentKind.Cash, cashInstallment)),
            new Installment(disbursedOn.AddMonths(12), InstallmentKind.Cash, cashShare - new Money(cashInstallment.Cents * 3)),
            new Installment(disbursedOn.AddMonths(6), InstallmentKind.Hours, new Money(hoursShare.Cents / 2)),
            new Installment(disbursedOn.AddMonths(12), InstallmentKind.Hours, hoursShare - new Money(hoursShare.Cents / 2))];
        loan.SetPlan(cashShare, rate, schedule, staffId, now.AddDays(-190));
        await db.SaveChangesAsync(cancellationToken);

        loan.RecordCashRepayment(cashInstallment, disbursedOn.AddMonths(3), staffId, now);
        var half = new Hours(loan.HoursPledgedTotal.Quarters / 2);
        var cooking = loan.Commit(firstStructure, "Cuisine et gestion des stocks", half);
        var accounting = loan.Commit(secondStructure, "Comptabilité associative", loan.HoursPledgedTotal - half);
        await db.SaveChangesAsync(cancellationToken);

        var entrepreneur = await users.FindByEmailAsync(EntrepreneurEmail);
        var logged = Hours.Zero;
        (VolunteerCommitment Commitment, int DaysAgo, decimal Hours, string What, bool Confirm)[] work =
        [
            (cooking, 150, 4, "Atelier cuisine anti-gaspillage avec les bénévoles", true),
            (cooking, 120, 3.5m, "Réorganisation de la réserve et des rotations de stock", true),
            (accounting, 90, 2, "Mise en place d’un tableau de trésorerie", true),
            (cooking, 40, 5, "Formation hygiène alimentaire de l’équipe", false),
            (accounting, 12, 2.5m, "Préparation du bilan annuel", false),
        ];
        foreach (var (commitment, daysAgo, hours, what, confirm) in work)
        {
            var entry = loan.LogHours(commitment.Id, today.AddDays(-daysAgo), Hours.From(hours), commitment.Skill, what, logged, entrepreneur!.Id, now.AddDays(-daysAgo));
            logged += entry.Hours;
            db.HoursEntries.Add(entry);
            await db.SaveChangesAsync(cancellationToken);
            if (confirm) loan.ConfirmHours(entry, entry.BeneficiaryId, "demo", now.AddDays(-daysAgo + 3));
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<PortalUser> CreateUserAsync(string email, string name, string role, Action<PortalUser>? configure = null,
        string? password = Password)
    {
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
        configure?.Invoke(user);
        var result = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        if (role != Roles.Contributor) await users.AddToRoleAsync(user, Roles.Contributor);
        return user;
    }
}
