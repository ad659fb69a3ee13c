-- 0031_vendor_incident_list: the incidents a vendor filed through its
-- report links, newest first (GET /v1/report/{token}/incidents, the list
-- the report page shows), without scanning the tenant's other incidents.
create index incidents_vendor_filed on incidents (tenant_id, vendor_id, created_at, id)
    where report_link_id is not null;
