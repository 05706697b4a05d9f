using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SixtyFourBitTotalsAndSolidonRange : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Campaigns that existed before the range take the defaults (0,10 € to 20 € per solidon), and the totals
            // that grow without bound become 64-bit.
            migrationBuilder.AddColumn<long>(
                name: "SolidonMaximum",
                table: "Campaigns",
                type: "INTEGER",
                nullable: false,
                defaultValue: 2000L);

            migrationBuilder.AddColumn<long>(
                name: "SolidonMinimum",
                table: "Campaigns",
                type: "INTEGER",
                nullable: false,
                defaultValue: 10L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SolidonMaximum",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "SolidonMinimum",
                table: "Campaigns");
        }
    }
}
