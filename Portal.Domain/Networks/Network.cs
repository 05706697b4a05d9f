using Portal.Domain.Common;

namespace Portal.Domain.Networks;

/// <summary>A network of collecting establishments (Lyon restaurants, "mode et création" boutiques...).</summary>
public sealed class Network
{
    private Network() { }

    public Network(string name, Sector sector, string city)
    {
        Name = Guard.Text(name, "name", 120);
        Slug = Common.Slug.From(Name);
        Sector = sector;
        City = Guard.Text(city, "city", 80);
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Slug { get; private set; } = "";
    public Sector Sector { get; private set; }
    public string City { get; private set; } = "";
}

public enum Sector { Food, Fashion, Flowers, Other }
