using Portal.Data;
using Portal.Web.Hosting;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddPortalWeb();

    var app = builder.Build();
    await app.PreparePortalAsync();
    app.UsePortal();
    await app.RunAsync();
    return 0;
}
catch (PortalConfigurationException e)
{
    // A wrong setting is the operator's to fix: one line naming it, not a stack trace.
    Console.Error.WriteLine($"Solidons: {e.Message}");
    return 1;
}

public partial class Program;
