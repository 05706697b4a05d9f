using System.Globalization;
using System.Text;

namespace Portal.Domain.Common;

public static class Slug
{
    /// <summary>"In, le Fruit de Terre" -> "in-le-fruit-de-terre": stable, readable URLs.</summary>
    public static string From(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsAsciiLetterOrDigit(c)) builder.Append(char.ToLowerInvariant(c));
            else if (builder.Length > 0 && builder[^1] != '-') builder.Append('-');
        }
        return builder.ToString().Trim('-');
    }
}
