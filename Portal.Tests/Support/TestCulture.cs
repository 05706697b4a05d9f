using System.Globalization;
using System.Runtime.CompilerServices;

namespace Portal.Tests.Support;

internal static class TestCulture
{
    /// <summary>Tests run as a French user would, on every thread, whatever the machine's locale.</summary>
    [ModuleInitializer]
    internal static void UseFrench()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.GetCultureInfo("fr-FR");
    }
}
