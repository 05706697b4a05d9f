using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.JSInterop;

namespace Portal.Web.Hosting;

/// <summary>
/// Each circuit has a JS runtime of its own, with JSON options of its own (its converters point back at it), so
/// every contract System.Text.Json builds for interop stays with the circuit as long as the page is open. Interop
/// arguments are typed <c>object</c>, and for such a value the serializer builds a contract for every base type and
/// interface of its runtime type, to look for a polymorphic declaration on one of them: for the renderer id that
/// Blazor sends when a circuit starts (an int), thirty generic-math, parsing and formatting interfaces: 35 of a
/// circuit's 63 contracts, about 30 KB of the 150 KB an idle dashboard circuit held (heap dumps of 100 circuits; the
/// benchmark's heap per circuit went from 151 to 121 KB).
/// No value is ever written as one of those scalar interfaces, so the circuits' resolver declines them, which that
/// search reads as "not polymorphic", as they are not. Collection interfaces, which values are declared as, are
/// resolved as before.
/// </summary>
public sealed class ScalarInterfacesDeclined(IJsonTypeInfoResolver inner) : IJsonTypeInfoResolver
{
    public static readonly ScalarInterfacesDeclined Default = new(new DefaultJsonTypeInfoResolver());

    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) =>
        IsScalarAncestor(type) ? null : inner.GetTypeInfo(type, options);

    /// <summary>The base types and interfaces of numbers, strings, dates and enums that are no data contract of their own.</summary>
    public static bool IsScalarAncestor(Type type) =>
        type == typeof(ValueType) || type == typeof(Enum)
        || type.IsInterface && !typeof(IEnumerable).IsAssignableFrom(type)
           && type.Namespace is "System" or "System.Numerics" or "System.Runtime.Serialization";
}

public static class CircuitJsonContractsExtensions
{
    // JSRuntime.JsonSerializerOptions is protected: the options can only be reached this way. Should a later Blazor
    // move it, the circuits keep the framework's own resolver (more memory, same behaviour).
    private static readonly PropertyInfo? InteropOptions =
        typeof(JSRuntime).GetProperty("JsonSerializerOptions", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>
    /// Gives every circuit's JS runtime <see cref="ScalarInterfacesDeclined"/> before its first call. Call after the
    /// interactive server components are added.
    /// </summary>
    public static IServiceCollection DeclineScalarInterfacesInCircuits(this IServiceCollection services)
    {
        var registration = services.LastOrDefault(d => d.ServiceType == typeof(IJSRuntime));
        if (registration is not { Lifetime: ServiceLifetime.Scoped, ImplementationType: { } runtimeType } || InteropOptions is null)
            return services;
        var create = ActivatorUtilities.CreateFactory(runtimeType, Type.EmptyTypes);
        services.Remove(registration);
        services.AddScoped<IJSRuntime>(provider =>
        {
            var runtime = (IJSRuntime)create(provider, null);
            if (InteropOptionsOf(runtime) is { TypeInfoResolver: null } options && !options.IsReadOnly)
                options.TypeInfoResolver = ScalarInterfacesDeclined.Default;
            return runtime;
        });
        return services;
    }

    /// <summary>The JSON options a JS runtime serializes interop calls with.</summary>
    internal static JsonSerializerOptions? InteropOptionsOf(IJSRuntime runtime) =>
        runtime is JSRuntime ? InteropOptions?.GetValue(runtime) as JsonSerializerOptions : null;
}
