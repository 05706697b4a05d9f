using System.Globalization;

namespace Portal.Domain.Common;

/// <summary>An amount in euros, exact to the cent: stored as whole cents so sums never drift.</summary>
public readonly record struct Money(long Cents) : IComparable<Money>
{
    public static readonly Money Zero = new(0);

    public decimal Euros => Cents / 100m;

    public static Money FromEuros(decimal euros)
    {
        var cents = euros * 100m;
        if (cents != decimal.Truncate(cents))
            throw new DomainException("money.sub_cent", $"{euros} has more than two decimals.");
        return new Money((long)cents);
    }

    public static Money operator +(Money a, Money b) => new(checked(a.Cents + b.Cents));
    public static Money operator -(Money a, Money b) => new(checked(a.Cents - b.Cents));
    public static Money operator -(Money a) => new(-a.Cents);
    public static bool operator <(Money a, Money b) => a.Cents < b.Cents;
    public static bool operator >(Money a, Money b) => a.Cents > b.Cents;
    public static bool operator <=(Money a, Money b) => a.Cents <= b.Cents;
    public static bool operator >=(Money a, Money b) => a.Cents >= b.Cents;

    public static Money Min(Money a, Money b) => a <= b ? a : b;
    public static Money Max(Money a, Money b) => a >= b ? a : b;

    public bool IsPositive => Cents > 0;

    public int CompareTo(Money other) => Cents.CompareTo(other.Cents);

    /// <summary>fr-FR by default: "1 234,50 €".</summary>
    public string ToString(IFormatProvider? culture) => Euros.ToString("C", culture ?? CultureInfo.GetCultureInfo("fr-FR"));

    public override string ToString() => ToString(CultureInfo.GetCultureInfo("fr-FR"));
}
