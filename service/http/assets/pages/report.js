// report.js - the incident report page (/report#<token>).
"use strict";
