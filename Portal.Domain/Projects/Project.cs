using Portal.Domain.Common;
using Portal.Domain.Networks;

namespace Portal.Domain.Projects;

/// <summary>A social entrepreneur's project, candidate to campaigns and borrower of the loan they fund.</summary>
public sealed class Project : CatalogItem
{
    private Project() { }

    public Project(string name, string summary, string story, string needs, Sector sector, Money requested) : base(name) =>
        Describe(summary, story, needs, sector, requested);

    /// <summary>A correction by staff; campaigns keep the requested amount their candidates were created with.</summary>
    public void Edit(string name, string summary, string story, string needs, Sector sector, Money requested)
    {
        Rename(name);
        Describe(summary, story, needs, sector, requested);
    }

    private void Describe(string summary, string story, string needs, Sector sector, Money requested)
    {
        if (!Enum.IsDefined(sector)) throw new DomainException("project.sector", "Unknown sector.");
        Summary = Guard.Text(summary, "summary", 300);
        Story = Guard.Text(story, "story", 8000);
        Needs = Guard.Text(needs, "needs", 2000);
        Sector = sector;
        if (!requested.IsPositive)
            throw new DomainException("project.requested", "The requested amount must be positive.");
        Requested = requested;
    }

    public string Summary { get; private set; } = "";
    public string Story { get; private set; } = "";
    public string Needs { get; private set; } = "";
    public Sector Sector { get; private set; }
    public Money Requested { get; private set; }
}

/// <summary>An ESS organisation that receives the entrepreneurs' skills volunteering.</summary>
public sealed class BeneficiaryStructure : CatalogItem
{
    private BeneficiaryStructure() { }

    public BeneficiaryStructure(string name, string city, string mission) : base(name) => Describe(city, mission);

    public void Edit(string name, string city, string mission)
    {
        Rename(name);
        Describe(city, mission);
    }

    private void Describe(string city, string mission)
    {
        City = Guard.Text(city, "city", 80);
        Mission = Guard.Text(mission, "mission", 500);
    }

    public string City { get; private set; } = "";
    public string Mission { get; private set; } = "";
}
