using System.Diagnostics;

namespace Portal.Tests.Http;

/// <summary>Starts the real program with a broken setting: it must stop with exit code 1 and one line naming the setting.</summary>
public class StartupConfigurationTests
{
    [Theory]
    [InlineData("Database__Provider", "Oracle", "Database:Provider")]
    [InlineData("Database__Provider", "SqlServer", "ConnectionStrings:Portal")]
    [InlineData("ConnectionStrings__Portal", "Data Source=;Mode=Nope", "ConnectionStrings:Portal")]
    [InlineData("Database__DataFolder", "/proc/solidons", "Database:DataFolder")]
    [InlineData("Database__CheckpointSeconds", "soon", "Database:CheckpointSeconds")]
    [InlineData("Database__CheckpointSeconds", "0", "Database:CheckpointSeconds")]
    public async Task A_wrong_setting_stops_start_up_with_one_line_naming_it(string variable, string value, string named)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Portal.Web.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["ASPNETCORE_URLS"] = "http://127.0.0.1:0", [variable] = value },
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("Solidons: ", line);
        Assert.Contains(named, line);
        Assert.DoesNotContain("   at ", await stdout);
    }
}
