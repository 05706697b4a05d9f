namespace Portal.Domain.Common;

/// <summary>
/// What the association keeps in its catalogue (networks, places, projects, structures): named, and archived rather
/// than deleted, because ledgers, votes and hours point at it for good.
/// </summary>
public abstract class CatalogItem
{
    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>Set at creation and kept through renames: printed QR codes and shared links go on working.</summary>
    public string Slug { get; private set; } = "";
    public DateTimeOffset? ArchivedAt { get; private set; }
    public bool IsArchived => ArchivedAt is not null;

    protected CatalogItem() { }

    protected CatalogItem(string name)
    {
        Rename(name);
        Slug = Common.Slug.From(Name);
    }

    protected void Rename(string name) => Name = Guard.Text(name, "name", 120);

    /// <summary>Leaves the catalogue: no new campaign, entry or tie can use it; its history stays and stays public.</summary>
    public void Archive(DateTimeOffset now)
    {
        if (IsArchived) throw new DomainException("catalog.already_archived", "This is already archived.");
        ArchivedAt = now;
    }

    public void Restore()
    {
        if (!IsArchived) throw new DomainException("catalog.not_archived", "This is not archived.");
        ArchivedAt = null;
    }
}
