using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class LedgerIndexesForFeedAndPlaces : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DonationEntries_CampaignId_EstablishmentId_Id",
                table: "DonationEntries");

            migrationBuilder.DropIndex(
                name: "IX_DonationEntries_EstablishmentId",
                table: "DonationEntries");

            migrationBuilder.CreateIndex(
                name: "IX_DonationEntries_CampaignId_Id",
                table: "DonationEntries",
                columns: new[] { "CampaignId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DonationEntries_EstablishmentId_CampaignId_Id",
                table: "DonationEntries",
                columns: new[] { "EstablishmentId", "CampaignId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DonationEntries_CampaignId_Id",
                table: "DonationEntries");

            migrationBuilder.DropIndex(
                name: "IX_DonationEntries_EstablishmentId_CampaignId_Id",
                table: "DonationEntries");

            migrationBuilder.CreateIndex(
                name: "IX_DonationEntries_CampaignId_EstablishmentId_Id",
                table: "DonationEntries",
                columns: new[] { "CampaignId", "EstablishmentId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DonationEntries_EstablishmentId",
                table: "DonationEntries",
                column: "EstablishmentId");
        }
    }
}
