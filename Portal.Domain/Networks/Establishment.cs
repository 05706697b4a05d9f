using Portal.Domain.Common;

namespace Portal.Domain.Networks;

/// <summary>A restaurant or boutique that adds solidons to its bills. Merchant users are tied to it.</summary>
public sealed class Establishment
{
    private Establishment() { }

    public Establishment(int networkId, string name, string address)
    {
        NetworkId = networkId;
        Name = Guard.Text(name, "name", 120);
        Slug = Common.Slug.From(Name);
        Address = Guard.Text(address, "address", 200);
    }

    public int Id { get; private set; }
    public int NetworkId { get; private set; }
    public string Name { get; private set; } = "";
    public string Slug { get; private set; } = "";
    public string Address { get; private set; } = "";
}
