"""Moving data in and out of Pillbox: CSV import and export, account archives and backups.

This layer sits above the domain (every imported row goes through the domain's create and
update functions) and below the HTTP and command-line layers, which both use it.
"""
