-- The distinct labels of all runs: the options of the notebook's filter pickers.
SELECT DISTINCT platform, scenario, hardware_profile, campaign
FROM client_runs
ORDER BY platform, scenario, hardware_profile, campaign
