using Portal.Domain.Common;

namespace Portal.Domain.Networks;

/// <summary>A network of collecting establishments (Lyon restaurants, "mode et création" boutiques...).</summary>
public sealed class Network : CatalogItem
{
    private Network() { }

    public Network(string name, Sector sector, string city) : base(name) => Describe(sector, city);

    public Sector Sector { get; private set; }
    public string City { get; private set; } = "";

    /// <summary>A correction by staff; campaigns already drafted keep the sector they were created with.</summary>
    public void Edit(string name, Sector sector, string city)
    {
        Rename(name);
        Describe(sector, city);
    }

    private void Describe(Sector sector, string city)
    {
        if (!Enum.IsDefined(sector)) throw new DomainException("network.sector", "Unknown sector.");
        Sector = sector;
        City = Guard.Text(city, "city", 80);
    }
}

public enum Sector { Food, Fashion, Flowers, Other }
