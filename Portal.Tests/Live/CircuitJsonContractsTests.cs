using System.Numerics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using Portal.Tests.Support;
using Portal.Web.Hosting;

namespace Portal.Tests.Live;

public class CircuitJsonContractsTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public void A_circuits_JS_runtime_writes_interop_arguments_as_before_without_contracts_for_scalar_interfaces()
    {
        using var scope = app.Services.CreateScope();
        var runtime = scope.ServiceProvider.GetRequiredService<IJSRuntime>();
        var options = CircuitJsonContractsExtensions.InteropOptionsOf(runtime);
        Assert.NotNull(options);
        // What Blazor sends when a circuit starts (a renderer id, dictionaries), and scalars of every kind.
        object?[] arguments = [0, new Dictionary<string, List<string>> { ["init"] = ["a", "b"] }, "solidon", 12.5m, DayOfWeek.Monday,
            new DateTimeOffset(2026, 11, 26, 18, 0, 0, TimeSpan.FromHours(1)), new[] { 1, 2 }, null];
        var framework = new JsonSerializerOptions { MaxDepth = 32, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true };

        Assert.Equal(JsonSerializer.Serialize(arguments, framework), JsonSerializer.Serialize(arguments, options));
        Assert.False(options.TryGetTypeInfo(typeof(INumber<int>), out _), "The int's generic-math interfaces got a contract of their own.");
        Assert.False(options.TryGetTypeInfo(typeof(IFormattable), out _));
        Assert.True(framework.TryGetTypeInfo(typeof(INumber<int>), out _), "Without the circuit's resolver the serializer builds it.");
    }

    [Theory]
    [InlineData(typeof(IEnumerable<string>))]
    [InlineData(typeof(IReadOnlyList<int>))]
    [InlineData(typeof(IDictionary<string, object>))]
    [InlineData(typeof(System.Collections.IEnumerable))]
    [InlineData(typeof(IJSObjectReference))]
    [InlineData(typeof(object))]
    [InlineData(typeof(string))]
    [InlineData(typeof(int))]
    public void Types_values_are_declared_as_are_still_resolved(Type type) =>
        Assert.False(ScalarInterfacesDeclined.IsScalarAncestor(type));

    [Theory]
    [InlineData(typeof(IBinaryInteger<int>))]
    [InlineData(typeof(IComparable))]
    [InlineData(typeof(IEquatable<decimal>))]
    [InlineData(typeof(ISpanFormattable))]
    [InlineData(typeof(System.Runtime.Serialization.ISerializable))]
    [InlineData(typeof(ValueType))]
    public void Base_types_and_interfaces_of_scalars_are_declined(Type type) =>
        Assert.True(ScalarInterfacesDeclined.IsScalarAncestor(type));
}
