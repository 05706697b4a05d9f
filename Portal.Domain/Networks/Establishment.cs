using Portal.Domain.Common;

namespace Portal.Domain.Networks;

/// <summary>
/// A restaurant or boutique that adds solidons to its bills. Merchant users are tied to it. Its network never changes
/// (its ledger is counted in that network's campaigns): a place that leaves is archived, keeping its ledger.
/// </summary>
public sealed class Establishment : CatalogItem
{
    private Establishment() { }

    public Establishment(int networkId, string name, string address) : base(name)
    {
        NetworkId = networkId;
        Address = Guard.Text(address, "address", 200);
    }

    public int NetworkId { get; private set; }
    public string Address { get; private set; } = "";

    public void Edit(string name, string address)
    {
        Rename(name);
        Address = Guard.Text(address, "address", 200);
    }
}
