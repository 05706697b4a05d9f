namespace Portal.Web;

/// <summary>Marker for the portal's strings: Resources/SharedResource.resx (French) and .en.resx (English).</summary>
public sealed class SharedResource;
