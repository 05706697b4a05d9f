namespace Portal.Domain.Common;

/// <summary>
/// Volunteer time in quarter hours. With an hourly rate in whole euros, a quarter hour is always a whole
/// number of cents, so the value of confirmed hours is exact.
/// </summary>
public readonly record struct Hours(int Quarters) : IComparable<Hours>
{
    public static readonly Hours Zero = new(0);

    public decimal Value => Quarters / 4m;

    public static Hours From(decimal hours)
    {
        var quarters = hours * 4m;
        if (quarters != decimal.Truncate(quarters))
            throw new DomainException("hours.quarter", "Hours are counted in quarter hours (0.25, 0.5, 0.75...).");
        return new Hours((int)quarters);
    }

    public Money ValueAt(HourlyRate rate) => new(checked(Quarters * rate.Euros * 25L));

    public static Hours operator +(Hours a, Hours b) => new(checked(a.Quarters + b.Quarters));
    public static Hours operator -(Hours a, Hours b) => new(checked(a.Quarters - b.Quarters));
    public static bool operator >(Hours a, Hours b) => a.Quarters > b.Quarters;
    public static bool operator <(Hours a, Hours b) => a.Quarters < b.Quarters;
    public static bool operator >=(Hours a, Hours b) => a.Quarters >= b.Quarters;
    public static bool operator <=(Hours a, Hours b) => a.Quarters <= b.Quarters;

    public int CompareTo(Hours other) => Quarters.CompareTo(other.Quarters);

    public override string ToString() => Value.ToString("0.##", System.Globalization.CultureInfo.GetCultureInfo("fr-FR")) + " h";
}

/// <summary>The agreed value of one volunteer hour, in whole euros.</summary>
public readonly record struct HourlyRate(int Euros)
{
    public static HourlyRate Of(int euros) => euros is >= 1 and <= 500
        ? new HourlyRate(euros)
        : throw new DomainException("rate.range", "The hourly rate must be between 1 and 500 euros.");

    public Money PerHour => new(Euros * 100L);

    /// <summary>How many whole quarter hours an amount buys, and the cents left over (kept as cash).</summary>
    public Hours HoursFor(Money amount) => new((int)(amount.Cents / (Euros * 25L)));
}
