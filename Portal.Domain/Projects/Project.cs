using Portal.Domain.Common;
using Portal.Domain.Networks;

namespace Portal.Domain.Projects;

/// <summary>A social entrepreneur's project, candidate to campaigns and borrower of the loan they fund.</summary>
public sealed class Project
{
    private Project() { }

    public Project(string name, string summary, string story, string needs, Sector sector, Money requested)
    {
        Name = Guard.Text(name, "name", 120);
        Slug = Common.Slug.From(Name);
        Summary = Guard.Text(summary, "summary", 300);
        Story = Guard.Text(story, "story", 8000);
        Needs = Guard.Text(needs, "needs", 2000);
        Sector = sector;
        if (!requested.IsPositive)
            throw new DomainException("project.requested", "The requested amount must be positive.");
        Requested = requested;
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Slug { get; private set; } = "";
    public string Summary { get; private set; } = "";
    public string Story { get; private set; } = "";
    public string Needs { get; private set; } = "";
    public Sector Sector { get; private set; }
    public Money Requested { get; private set; }
}

/// <summary>An ESS organisation that receives the entrepreneurs' skills volunteering.</summary>
public sealed class BeneficiaryStructure
{
    private BeneficiaryStructure() { }

    public BeneficiaryStructure(string name, string city, string mission)
    {
        Name = Guard.Text(name, "name", 120);
        Slug = Common.Slug.From(Name);
        City = Guard.Text(city, "city", 80);
        Mission = Guard.Text(mission, "mission", 500);
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Slug { get; private set; } = "";
    public string City { get; private set; } = "";
    public string Mission { get; private set; } = "";
}
